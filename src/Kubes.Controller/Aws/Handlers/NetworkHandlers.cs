using Amazon.EC2;
using Amazon.EC2.Model;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Aws.Handlers;

internal sealed class VpcHandler(IAmazonEC2 ec2, string cluster) : IResourceHandler
{
    public string Type => "vpc";
    public int DeleteOrder => 70;

    public async Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken ct)
    {
        var response = await ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = Ec2Tagging.ClusterFilter(cluster) }, ct);
        return [.. (response.Vpcs ?? []).Where(v => Ec2Tagging.TryKey(v.Tags, out _))
            .Select(v => { Ec2Tagging.TryKey(v.Tags, out var key); return new ActualResource(key, v.VpcId, v); })];
    }

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids)
    {
        var want = (VpcResource)desired;
        var have = (Vpc)actual.Native;
        return have.CidrBlock == want.CidrBlock ? [] : [new FieldChange("cidr", have.CidrBlock, want.CidrBlock)];
    }

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken ct)
    {
        var want = (VpcResource)desired;
        // A retried create adopts what an interrupted attempt made instead of making a second one.
        var vpc = (await ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = Ec2Tagging.KeyFilter(cluster, want.Key) }, ct))
                  .Vpcs?.FirstOrDefault(v => Ec2Tagging.HasKey(v.Tags, cluster, want.Key))
                  ?? (await ec2.CreateVpcAsync(new CreateVpcRequest
                  {
                      CidrBlock = want.CidrBlock,
                      TagSpecifications = Ec2Tagging.At(ResourceType.Vpc, want.Tags),
                  }, ct)).Vpc;
        await ec2.ModifyVpcAttributeAsync(new ModifyVpcAttributeRequest { VpcId = vpc.VpcId, EnableDnsSupport = true }, ct);
        await ec2.ModifyVpcAttributeAsync(new ModifyVpcAttributeRequest { VpcId = vpc.VpcId, EnableDnsHostnames = true }, ct);
        return new ActualResource(want.Key, vpc.VpcId, vpc);
    }

    public Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken ct) =>
        throw new ImmutableFieldException(actual, changes);

    public async Task DeleteAsync(ActualResource actual, CancellationToken ct) =>
        await IgnoreNotFound(() => ec2.DeleteVpcAsync(new DeleteVpcRequest { VpcId = actual.Id }, ct));

    internal static async Task IgnoreNotFound(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (AmazonEC2Exception e) when (e.ErrorCode?.EndsWith(".NotFound", StringComparison.Ordinal) == true)
        {
        }
    }
}

internal sealed class SubnetHandler(IAmazonEC2 ec2, string cluster) : IResourceHandler
{
    public string Type => "subnet";
    public int DeleteOrder => 60;

    public async Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken ct)
    {
        var response = await ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = Ec2Tagging.ClusterFilter(cluster) }, ct);
        return [.. (response.Subnets ?? []).Where(s => Ec2Tagging.TryKey(s.Tags, out _))
            .Select(s => { Ec2Tagging.TryKey(s.Tags, out var key); return new ActualResource(key, s.SubnetId, s); })];
    }

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids)
    {
        var want = (SubnetResource)desired;
        var have = (Subnet)actual.Native;
        var changes = new List<FieldChange>();
        if (have.CidrBlock != want.CidrBlock) changes.Add(new("cidr", have.CidrBlock, want.CidrBlock));
        if (have.AvailabilityZone != want.Zone) changes.Add(new("zone", have.AvailabilityZone, want.Zone));
        if ((have.MapPublicIpOnLaunch ?? false) != want.Public)
            changes.Add(new("mapPublicIpOnLaunch", $"{have.MapPublicIpOnLaunch ?? false}".ToLowerInvariant(), $"{want.Public}".ToLowerInvariant()));
        return changes;
    }

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken ct)
    {
        var want = (SubnetResource)desired;
        var subnet = (await ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = Ec2Tagging.KeyFilter(cluster, want.Key) }, ct))
                     .Subnets?.FirstOrDefault(n => Ec2Tagging.HasKey(n.Tags, cluster, want.Key))
                     ?? (await ec2.CreateSubnetAsync(new CreateSubnetRequest
                     {
                         VpcId = ids.Require(want.Vpc),
                         CidrBlock = want.CidrBlock,
                         AvailabilityZone = want.Zone,
                         TagSpecifications = Ec2Tagging.At(ResourceType.Subnet, want.Tags),
                     }, ct)).Subnet;
        if (want.Public) await SetPublicAsync(subnet.SubnetId, true, ct);
        return new ActualResource(want.Key, subnet.SubnetId, subnet);
    }

    public async Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes,
        IResolvedIds ids, CancellationToken ct)
    {
        if (changes.Any(c => c.Field != "mapPublicIpOnLaunch")) throw new ImmutableFieldException(actual, changes);
        await SetPublicAsync(actual.Id, ((SubnetResource)desired).Public, ct);
    }

    private Task SetPublicAsync(string subnetId, bool value, CancellationToken ct) =>
        ec2.ModifySubnetAttributeAsync(new ModifySubnetAttributeRequest { SubnetId = subnetId, MapPublicIpOnLaunch = value }, ct);

    public Task DeleteAsync(ActualResource actual, CancellationToken ct) =>
        VpcHandler.IgnoreNotFound(() => ec2.DeleteSubnetAsync(new DeleteSubnetRequest { SubnetId = actual.Id }, ct));
}

internal sealed class InternetGatewayHandler(IAmazonEC2 ec2, string cluster) : IResourceHandler
{
    public string Type => "internet-gateway";
    public int DeleteOrder => 50;

    public async Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken ct)
    {
        var response = await ec2.DescribeInternetGatewaysAsync(
            new DescribeInternetGatewaysRequest { Filters = Ec2Tagging.ClusterFilter(cluster) }, ct);
        return [.. (response.InternetGateways ?? []).Where(g => Ec2Tagging.TryKey(g.Tags, out _))
            .Select(g => { Ec2Tagging.TryKey(g.Tags, out var key); return new ActualResource(key, g.InternetGatewayId, g); })];
    }

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids)
    {
        var want = (InternetGatewayResource)desired;
        var attached = ((InternetGateway)actual.Native).Attachments?.FirstOrDefault()?.VpcId;
        var vpc = ids.TryGet(want.Vpc, out var id) ? id : null;
        return attached == vpc ? [] : [new FieldChange("attachedTo", attached, vpc ?? want.Vpc.ToString())];
    }

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken ct)
    {
        var want = (InternetGatewayResource)desired;
        var gateway = (await ec2.DescribeInternetGatewaysAsync(
                          new DescribeInternetGatewaysRequest { Filters = Ec2Tagging.KeyFilter(cluster, want.Key) }, ct))
                      .InternetGateways?.FirstOrDefault(g => Ec2Tagging.HasKey(g.Tags, cluster, want.Key))
                      ?? (await ec2.CreateInternetGatewayAsync(new CreateInternetGatewayRequest
                      {
                          TagSpecifications = Ec2Tagging.At(ResourceType.InternetGateway, want.Tags),
                      }, ct)).InternetGateway;
        if (gateway.Attachments is not { Count: > 0 })
            await ec2.AttachInternetGatewayAsync(new AttachInternetGatewayRequest
            {
                InternetGatewayId = gateway.InternetGatewayId,
                VpcId = ids.Require(want.Vpc),
            }, ct);
        return new ActualResource(want.Key, gateway.InternetGatewayId, gateway);
    }

    public async Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes,
        IResolvedIds ids, CancellationToken ct)
    {
        var gateway = (InternetGateway)actual.Native;
        foreach (var attachment in gateway.Attachments ?? [])
            await ec2.DetachInternetGatewayAsync(new DetachInternetGatewayRequest
                { InternetGatewayId = actual.Id, VpcId = attachment.VpcId }, ct);
        await ec2.AttachInternetGatewayAsync(new AttachInternetGatewayRequest
        {
            InternetGatewayId = actual.Id,
            VpcId = ids.Require(((InternetGatewayResource)desired).Vpc),
        }, ct);
    }

    public async Task DeleteAsync(ActualResource actual, CancellationToken ct)
    {
        foreach (var attachment in ((InternetGateway)actual.Native).Attachments ?? [])
            await VpcHandler.IgnoreNotFound(() => ec2.DetachInternetGatewayAsync(
                new DetachInternetGatewayRequest { InternetGatewayId = actual.Id, VpcId = attachment.VpcId }, ct));
        await VpcHandler.IgnoreNotFound(() =>
            ec2.DeleteInternetGatewayAsync(new DeleteInternetGatewayRequest { InternetGatewayId = actual.Id }, ct));
    }
}

internal sealed class ElasticIpHandler(IAmazonEC2 ec2, string cluster) : IResourceHandler
{
    public string Type => "elastic-ip";
    public int DeleteOrder => 40;

    public async Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken ct)
    {
        var response = await ec2.DescribeAddressesAsync(new DescribeAddressesRequest { Filters = Ec2Tagging.ClusterFilter(cluster) }, ct);
        return [.. (response.Addresses ?? []).Where(a => Ec2Tagging.TryKey(a.Tags, out _))
            .Select(a => { Ec2Tagging.TryKey(a.Tags, out var key); return new ActualResource(key, a.AllocationId, a); })];
    }

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids) => [];

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken ct)
    {
        var want = (ElasticIpResource)desired;
        var existing = (await ec2.DescribeAddressesAsync(new DescribeAddressesRequest { Filters = Ec2Tagging.KeyFilter(cluster, want.Key) }, ct))
            .Addresses?.FirstOrDefault(a => Ec2Tagging.HasKey(a.Tags, cluster, want.Key));
        if (existing is not null) return new ActualResource(want.Key, existing.AllocationId, existing);
        var response = await ec2.AllocateAddressAsync(new AllocateAddressRequest
        {
            Domain = DomainType.Vpc,
            TagSpecifications = Ec2Tagging.At(ResourceType.ElasticIp, want.Tags),
        }, ct);
        return new ActualResource(want.Key, response.AllocationId, new Address { AllocationId = response.AllocationId, PublicIp = response.PublicIp });
    }

    public Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken ct) => Task.CompletedTask;

    public Task DeleteAsync(ActualResource actual, CancellationToken ct) =>
        VpcHandler.IgnoreNotFound(() => ec2.ReleaseAddressAsync(new ReleaseAddressRequest { AllocationId = actual.Id }, ct));
}

internal sealed class NatGatewayHandler(IAmazonEC2 ec2, string cluster, AwsWaiter waiter) : IResourceHandler
{
    public string Type => "nat-gateway";
    public int DeleteOrder => 30;

    public async Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken ct)
    {
        var found = new List<ActualResource>();
        string? token = null;
        do
        {
            var response = await ec2.DescribeNatGatewaysAsync(new DescribeNatGatewaysRequest
            {
                Filter = Ec2Tagging.ClusterFilter(cluster),
                NextToken = token,
            }, ct);
            foreach (var gateway in response.NatGateways ?? [])
            {
                if (gateway.State == NatGatewayState.Deleted || gateway.State == NatGatewayState.Deleting) continue;
                // The filter above is checked again: moto ignores it for NAT gateways.
                if (Ec2Tagging.Value(gateway.Tags, ClusterTags.Cluster) != cluster) continue;
                if (Ec2Tagging.TryKey(gateway.Tags, out var key)) found.Add(new ActualResource(key, gateway.NatGatewayId, gateway));
            }
            token = response.NextToken;
        } while (!string.IsNullOrEmpty(token));
        return found;
    }

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids)
    {
        var want = (NatGatewayResource)desired;
        var have = (NatGateway)actual.Native;
        var subnet = ids.TryGet(want.Subnet, out var id) ? id : want.Subnet.ToString();
        return have.SubnetId == subnet ? [] : [new FieldChange("subnet", have.SubnetId, subnet)];
    }

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken ct)
    {
        var want = (NatGatewayResource)desired;
        var existing = (await ec2.DescribeNatGatewaysAsync(new DescribeNatGatewaysRequest { Filter = Ec2Tagging.KeyFilter(cluster, want.Key) }, ct))
            .NatGateways?.FirstOrDefault(g => Ec2Tagging.HasKey(g.Tags, cluster, want.Key) && g.State != NatGatewayState.Deleted && g.State != NatGatewayState.Deleting
                                              && g.State != NatGatewayState.Failed);
        if (existing is not null) return new ActualResource(want.Key, existing.NatGatewayId, existing);
        var gateway = (await ec2.CreateNatGatewayAsync(new CreateNatGatewayRequest
        {
            SubnetId = ids.Require(want.Subnet),
            AllocationId = ids.Require(want.ElasticIp),
            // Same token for the same cluster and gateway: a retried create after a crash returns the first one.
            ClientToken = ClientTokens.For(cluster, want.Key),
            TagSpecifications = Ec2Tagging.At(ResourceType.Natgateway, want.Tags),
        }, ct)).NatGateway;
        return new ActualResource(want.Key, gateway.NatGatewayId, gateway);
    }

    public Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken ct) => throw new ImmutableFieldException(actual, changes);

    public async Task DeleteAsync(ActualResource actual, CancellationToken ct)
    {
        await VpcHandler.IgnoreNotFound(() => ec2.DeleteNatGatewayAsync(new DeleteNatGatewayRequest { NatGatewayId = actual.Id }, ct));
        // Its elastic IP and subnet can be released only once the gateway is gone.
        await waiter.UntilAsync($"NAT gateway {actual.Id} to be deleted", async token =>
        {
            var response = await ec2.DescribeNatGatewaysAsync(new DescribeNatGatewaysRequest { NatGatewayIds = [actual.Id] }, token);
            return (response.NatGateways ?? []).All(g => g.State == NatGatewayState.Deleted);
        }, ct);
    }
}
