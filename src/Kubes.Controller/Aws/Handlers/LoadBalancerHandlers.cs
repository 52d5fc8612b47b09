using Kubes.Controller.Aws.LoadBalancing;
using Kubes.Controller.Aws.Query;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Aws.Handlers;

/// <summary>
/// ELBv2 cannot filter by tag, so the API load balancer and target group are found by their names, which follow
/// from the cluster name alone, and then kept only if their <c>kubes.io/cluster</c> tag names this cluster: one
/// describe of each and one DescribeTags per run, shared by the listener and registration handlers.
/// </summary>
internal sealed class LoadBalancerInventory(LoadBalancingClient elb, string cluster)
{
    private Task<Lookup>? _lookup;

    public string Name => AwsClusterModel.LoadBalancerName(cluster);

    public async Task<LoadBalancer?> LoadBalancerAsync(CancellationToken ct) =>
        await LookupAsync(ct) is { LoadBalancer: { } lb } found && found.IsOurs(lb.Arn, cluster) ? lb : null;

    public async Task<TargetGroup?> TargetGroupAsync(CancellationToken ct) =>
        await LookupAsync(ct) is { TargetGroup: { } tg } found && found.IsOurs(tg.Arn, cluster) ? tg : null;

    /// <summary>Refuses to create what would take over a same-named load balancer of someone else (AWS would hand it back).</summary>
    public async Task EnsureLoadBalancerNameFreeAsync(CancellationToken ct) =>
        EnsureFree("load balancer", (await LookupAsync(ct)).LoadBalancer?.Arn, await LookupAsync(ct));

    public async Task EnsureTargetGroupNameFreeAsync(CancellationToken ct) =>
        EnsureFree("target group", (await LookupAsync(ct)).TargetGroup?.Arn, await LookupAsync(ct));

    private void EnsureFree(string kind, string? arn, Lookup found)
    {
        if (arn is null || found.IsOurs(arn, cluster)) return;
        var owner = found.Owners.GetValueOrDefault(arn);
        throw new InvalidOperationException(
            $"a {kind} named {Name} already exists ({arn}) and belongs to {(owner is null ? "no kubes cluster" : $"cluster {owner}")}, " +
            $"not to cluster {cluster} ({ClusterTags.Cluster} tag); delete or rename it, or give this cluster another name");
    }

    private Task<Lookup> LookupAsync(CancellationToken ct) => _lookup ??= LoadAsync(ct);

    private async Task<Lookup> LoadAsync(CancellationToken ct)
    {
        var loadBalancer = FindLoadBalancerAsync(ct);
        var targetGroup = FindTargetGroupAsync(ct);
        var arns = new[] { (await loadBalancer)?.Arn, (await targetGroup)?.Arn }.OfType<string>().ToList();
        var tags = arns.Count == 0 ? [] : await elb.DescribeTagsAsync(arns, ct);
        return new Lookup(await loadBalancer, await targetGroup,
            tags.ToDictionary(t => t.ResourceArn, t => t.Tags.FirstOrDefault(tag => tag.Key == ClusterTags.Cluster)?.Value));
    }

    private async Task<LoadBalancer?> FindLoadBalancerAsync(CancellationToken ct)
    {
        try
        {
            return (await elb.DescribeLoadBalancersAsync(names: [Name], cancellationToken: ct)).FirstOrDefault();
        }
        catch (AwsServiceException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    private async Task<TargetGroup?> FindTargetGroupAsync(CancellationToken ct)
    {
        try
        {
            return (await elb.DescribeTargetGroupsAsync(names: [Name], cancellationToken: ct)).FirstOrDefault();
        }
        catch (AwsServiceException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    private sealed record Lookup(LoadBalancer? LoadBalancer, TargetGroup? TargetGroup, IReadOnlyDictionary<string, string?> Owners)
    {
        public bool IsOurs(string arn, string cluster) => Owners.GetValueOrDefault(arn) == cluster;
    }
}

internal sealed class LoadBalancerHandler(LoadBalancingClient elb, LoadBalancerInventory inventory, AwsWaiter waiter) : IResourceHandler
{
    public string Type => "load-balancer";
    public int DeleteOrder => 20;

    public async Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken ct) =>
        await inventory.LoadBalancerAsync(ct) is { } lb ? [new ActualResource(AwsClusterModel.ApiLoadBalancer, lb.Arn, lb)] : [];

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids)
    {
        var want = (LoadBalancerResource)desired;
        var have = (LoadBalancer)actual.Native;
        var changes = new List<FieldChange>();
        var scheme = want.Internal ? "internal" : "internet-facing";
        if (have.Scheme != scheme) changes.Add(new("scheme", have.Scheme, scheme));
        var subnets = want.Subnets.Select(s => ids.TryGet(s, out var id) ? id : s.ToString()).Order().ToList();
        var current = have.SubnetIds.Order().ToList();
        if (!subnets.SequenceEqual(current)) changes.Add(new("subnets", string.Join(", ", current), string.Join(", ", subnets)));
        return changes;
    }

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken ct)
    {
        var want = (LoadBalancerResource)desired;
        await inventory.EnsureLoadBalancerNameFreeAsync(ct);
        var lb = await elb.CreateLoadBalancerAsync(new CreateLoadBalancerRequest(want.Name, [.. want.Subnets.Select(ids.Require)])
        {
            Scheme = want.Internal ? LoadBalancerScheme.Internal : LoadBalancerScheme.InternetFacing,
            SecurityGroupIds = [ids.Require(want.SecurityGroup)],
            Tags = [.. want.Tags.Select(t => new AwsTag(t.Key, t.Value))],
        }, ct);
        return new ActualResource(want.Key, lb.Arn, lb);
    }

    public Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken ct) => throw new ImmutableFieldException(actual, changes);

    public async Task DeleteAsync(ActualResource actual, CancellationToken ct)
    {
        await elb.DeleteLoadBalancerAsync(actual.Id, ct);
        // Its network interfaces hold the subnets until it is really gone.
        await waiter.UntilAsync($"load balancer {((LoadBalancer)actual.Native).Name} to be deleted", async token =>
        {
            try
            {
                return (await elb.DescribeLoadBalancersAsync(arns: [actual.Id], cancellationToken: token)).Count == 0;
            }
            catch (AwsServiceException e) when (e.IsNotFound)
            {
                return true;
            }
        }, ct);
    }
}

internal sealed class TargetGroupHandler(LoadBalancingClient elb, LoadBalancerInventory inventory) : IResourceHandler
{
    public string Type => "target-group";
    public int DeleteOrder => 30;

    public async Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken ct) =>
        await inventory.TargetGroupAsync(ct) is { } tg ? [new ActualResource(AwsClusterModel.ApiTargetGroup, tg.Arn, tg)] : [];

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids)
    {
        var want = (TargetGroupResource)desired;
        var have = (TargetGroup)actual.Native;
        var changes = new List<FieldChange>();
        if (have.Port != want.Port) changes.Add(new("port", $"{have.Port}", $"{want.Port}"));
        if (have.Protocol != "TCP") changes.Add(new("protocol", have.Protocol, "TCP"));
        var vpc = ids.TryGet(want.Vpc, out var id) ? id : want.Vpc.ToString();
        if (have.VpcId != vpc) changes.Add(new("vpc", have.VpcId, vpc));
        return changes;
    }

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken ct)
    {
        var want = (TargetGroupResource)desired;
        await inventory.EnsureTargetGroupNameFreeAsync(ct);
        var tg = await elb.CreateTargetGroupAsync(new CreateTargetGroupRequest(want.Name, ids.Require(want.Vpc), want.Port)
        {
            Tags = [.. want.Tags.Select(t => new AwsTag(t.Key, t.Value))],
        }, ct);
        return new ActualResource(want.Key, tg.Arn, tg);
    }

    public Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken ct) => throw new ImmutableFieldException(actual, changes);

    public async Task DeleteAsync(ActualResource actual, CancellationToken ct)
    {
        try
        {
            await elb.DeleteTargetGroupAsync(actual.Id, ct);
        }
        catch (AwsServiceException e) when (e.IsNotFound)
        {
        }
    }
}

internal sealed class ListenerHandler(LoadBalancingClient elb, LoadBalancerInventory inventory) : IResourceHandler
{
    public string Type => "listener";
    public int DeleteOrder => 10;

    public async Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken ct)
    {
        if (await inventory.LoadBalancerAsync(ct) is not { } lb) return [];
        var listeners = await elb.DescribeListenersAsync(lb.Arn, ct);
        return [.. listeners.Where(l => l.Port == SecurityGroupRules.ApiServerPort)
            .Select(l => new ActualResource(AwsClusterModel.ApiListener, l.Arn, l))];
    }

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids)
    {
        var want = (ListenerResource)desired;
        var have = (Listener)actual.Native;
        var target = ids.TryGet(want.TargetGroup, out var id) ? id : want.TargetGroup.ToString();
        var current = have.ForwardTargetGroupArns.FirstOrDefault();
        return current == target ? [] : [new FieldChange("forwardTo", current, target)];
    }

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken ct)
    {
        var want = (ListenerResource)desired;
        var listener = await elb.CreateListenerAsync(ids.Require(want.LoadBalancer), want.Port, ids.Require(want.TargetGroup),
            cancellationToken: ct);
        return new ActualResource(want.Key, listener.Arn, listener);
    }

    public async Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken ct)
    {
        await DeleteAsync(actual, ct);
        await CreateAsync(desired, ids, ct);
    }

    public async Task DeleteAsync(ActualResource actual, CancellationToken ct)
    {
        try
        {
            await elb.DeleteListenerAsync(actual.Id, ct);
        }
        catch (AwsServiceException e) when (e.IsNotFound)
        {
        }
    }
}

/// <summary>Every controller instance registered in the API target group, and nothing else.</summary>
internal sealed class TargetRegistrationHandler(LoadBalancingClient elb, LoadBalancerInventory inventory) : IResourceHandler
{
    public string Type => "target-registration";
    public int DeleteOrder => 10;

    public async Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken ct)
    {
        if (await inventory.TargetGroupAsync(ct) is not { } tg) return [];
        var health = await elb.DescribeTargetHealthAsync(tg.Arn, ct);
        return [new ActualResource(AwsClusterModel.ApiTargets, tg.Arn, health.Select(h => h.Target.Id).Order().ToList())];
    }

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids)
    {
        var want = (TargetRegistrationResource)desired;
        var have = ((List<string>)actual.Native).ToHashSet();
        var changes = new List<FieldChange>();
        foreach (var instance in want.Instances)
        {
            var id = ids.TryGet(instance, out var i) ? i : instance.ToString();
            if (!have.Remove(id)) changes.Add(new FieldChange("target", null, id));
        }
        changes.AddRange(have.Order().Select(extra => new FieldChange("target", extra, null)));
        return changes;
    }

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken ct)
    {
        var want = (TargetRegistrationResource)desired;
        var targetGroup = ids.Require(want.TargetGroup);
        var targets = want.Instances.Select(i => ids.Require(i)).ToList();
        if (targets.Count > 0)
            await elb.RegisterTargetsAsync(targetGroup, targets.Select(t => new Target(t, want.Port)), ct);
        return new ActualResource(want.Key, targetGroup, targets);
    }

    public async Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken ct)
    {
        var port = ((TargetRegistrationResource)desired).Port;
        var add = changes.Where(c => c.To is not null).Select(c => new Target(c.To!, port)).ToList();
        var remove = changes.Where(c => c.From is not null).Select(c => new Target(c.From!, port)).ToList();
        if (add.Count > 0) await elb.RegisterTargetsAsync(actual.Id, add, ct);
        if (remove.Count > 0) await elb.DeregisterTargetsAsync(actual.Id, remove, ct);
    }

    public async Task DeleteAsync(ActualResource actual, CancellationToken ct)
    {
        var targets = ((List<string>)actual.Native).Select(t => new Target(t)).ToList();
        if (targets.Count == 0) return;
        try
        {
            await elb.DeregisterTargetsAsync(actual.Id, targets, ct);
        }
        catch (AwsServiceException e) when (e.IsNotFound)
        {
        }
    }
}
