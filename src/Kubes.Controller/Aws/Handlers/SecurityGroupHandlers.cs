using Amazon.EC2;
using Amazon.EC2.Model;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Aws.Handlers;

/// <summary>Caches one DescribeSecurityGroups per run: the group and the rule handlers read the same answer.</summary>
internal sealed class SecurityGroupInventory(IAmazonEC2 ec2, string cluster)
{
    private Task<List<SecurityGroup>>? _groups;

    public Task<List<SecurityGroup>> GroupsAsync(CancellationToken ct) => _groups ??= LoadAsync(ct);

    public void Invalidate() => _groups = null;

    private async Task<List<SecurityGroup>> LoadAsync(CancellationToken ct)
    {
        var groups = new List<SecurityGroup>();
        string? token = null;
        do
        {
            var response = await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest
            {
                Filters = Ec2Tagging.ClusterFilter(cluster),
                NextToken = token,
            }, ct);
            groups.AddRange(response.SecurityGroups ?? []);
            token = response.NextToken;
        } while (!string.IsNullOrEmpty(token));
        return groups;
    }
}

internal sealed class SecurityGroupHandler(IAmazonEC2 ec2, SecurityGroupInventory inventory) : IResourceHandler
{
    public string Type => "security-group";
    public int DeleteOrder => 50;

    public async Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken ct) =>
        [.. (await inventory.GroupsAsync(ct)).Where(g => Ec2Tagging.TryKey(g.Tags, out _))
            .Select(g => { Ec2Tagging.TryKey(g.Tags, out var key); return new ActualResource(key, g.GroupId, g); })];

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids)
    {
        var want = (SecurityGroupResource)desired;
        var have = (SecurityGroup)actual.Native;
        var vpc = ids.TryGet(want.Vpc, out var id) ? id : want.Vpc.ToString();
        var changes = new List<FieldChange>();
        if (have.VpcId != vpc) changes.Add(new("vpc", have.VpcId, vpc));
        if (have.GroupName != want.GroupName) changes.Add(new("name", have.GroupName, want.GroupName));
        return changes;
    }

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken ct)
    {
        var want = (SecurityGroupResource)desired;
        try
        {
            var response = await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest
            {
                GroupName = want.GroupName,
                Description = want.Description,
                VpcId = ids.Require(want.Vpc),
                TagSpecifications = Ec2Tagging.At(ResourceType.SecurityGroup, want.Tags),
            }, ct);
            return new ActualResource(want.Key, response.GroupId, new SecurityGroup { GroupId = response.GroupId });
        }
        catch (AmazonEC2Exception e) when (e.ErrorCode == "InvalidGroup.Duplicate")
        {
            // An interrupted attempt made it: adopt it (names are unique per VPC).
            var existing = (await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest
            {
                Filters =
                [
                    new Filter { Name = "group-name", Values = [want.GroupName] },
                    new Filter { Name = "vpc-id", Values = [ids.Require(want.Vpc)] },
                ],
            }, ct)).SecurityGroups.Single();
            return new ActualResource(want.Key, existing.GroupId, existing);
        }
    }

    public Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken ct) => throw new ImmutableFieldException(actual, changes);

    public Task DeleteAsync(ActualResource actual, CancellationToken ct) =>
        VpcHandler.IgnoreNotFound(() => ec2.DeleteSecurityGroupAsync(new DeleteSecurityGroupRequest { GroupId = actual.Id }, ct));
}

/// <summary>
/// A group's ingress rules as one resource: missing rules are authorised, rules nobody asked for are revoked.
/// On destroy it revokes every rule first, because groups that name each other cannot be deleted otherwise.
/// </summary>
internal sealed class SecurityGroupRulesHandler(IAmazonEC2 ec2, SecurityGroupInventory inventory) : IResourceHandler
{
    public string Type => "security-group-rules";
    public int DeleteOrder => 40;

    public async Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken ct) =>
        [.. (await inventory.GroupsAsync(ct)).Where(g => Ec2Tagging.TryKey(g.Tags, out _))
            .Select(g =>
            {
                Ec2Tagging.TryKey(g.Tags, out var key);
                return new ActualResource(SecurityGroupRules.Rules(key), g.GroupId, g);
            })];

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids)
    {
        var want = (SecurityGroupRulesResource)desired;
        var have = Flatten((SecurityGroup)actual.Native).ToHashSet();
        var changes = new List<FieldChange>();
        foreach (var rule in want.Rules)
        {
            var signature = Signature(rule, ids);
            if (!have.Remove(signature)) changes.Add(new FieldChange("ingress", null, signature));
        }
        changes.AddRange(have.Order(StringComparer.Ordinal).Select(extra => new FieldChange("ingress", extra, null)));
        return changes;
    }

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken ct)
    {
        var want = (SecurityGroupRulesResource)desired;
        var groupId = ids.Require(want.Group);
        var permissions = want.Rules.Select(r => Permission(r, ids)).ToList();
        try
        {
            if (permissions.Count > 0)
                await ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
                    { GroupId = groupId, IpPermissions = permissions }, ct);
        }
        catch (AmazonEC2Exception e) when (e.ErrorCode == "InvalidPermission.Duplicate")
        {
            // An interrupted attempt authorised some of them; the next plan compares rule by rule and adds the rest.
        }
        inventory.Invalidate();
        return new ActualResource(want.Key, groupId, new SecurityGroup { GroupId = groupId });
    }

    public async Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken ct)
    {
        var want = (SecurityGroupRulesResource)desired;
        var missing = changes.Where(c => c.To is not null).Select(c => c.To!).ToHashSet();
        var add = want.Rules.Where(r => missing.Contains(Signature(r, ids))).Select(r => Permission(r, ids)).ToList();
        if (add.Count > 0)
            await ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
                { GroupId = actual.Id, IpPermissions = add }, ct);
        var extra = changes.Where(c => c.From is not null).Select(c => c.From!).ToHashSet();
        var remove = Split((SecurityGroup)actual.Native).Where(p => extra.Contains(p.Signature)).Select(p => p.Permission).ToList();
        if (remove.Count > 0)
            await ec2.RevokeSecurityGroupIngressAsync(new RevokeSecurityGroupIngressRequest
                { GroupId = actual.Id, IpPermissions = remove }, ct);
        inventory.Invalidate();
    }

    public async Task DeleteAsync(ActualResource actual, CancellationToken ct)
    {
        var all = ((SecurityGroup)actual.Native).IpPermissions ?? [];
        if (all.Count == 0) return;
        await VpcHandler.IgnoreNotFound(() => ec2.RevokeSecurityGroupIngressAsync(
            new RevokeSecurityGroupIngressRequest { GroupId = actual.Id, IpPermissions = all }, ct));
    }

    /// <summary>The same text for a desired rule and a live one: "tcp 2379 from sg-123".</summary>
    internal static string Signature(IngressRule rule, IResolvedIds ids)
    {
        var source = rule.Source.Cidr ?? (ids.TryGet(rule.Source.Group!.Value, out var id) ? id : rule.Source.Group!.Value.ToString());
        return $"{rule.ProtocolName} {rule.Ports} from {source}";
    }

    private static IEnumerable<string> Flatten(SecurityGroup group) => Split(group).Select(p => p.Signature);

    /// <summary>AWS groups sources under one permission per protocol and port range; diffs need one per source, of
    /// every kind: IPv4 and IPv6 ranges, groups and prefix lists (a hand-added ::/0 must show, and be revoked).</summary>
    private static IEnumerable<(string Signature, IpPermission Permission)> Split(SecurityGroup group)
    {
        foreach (var permission in group.IpPermissions ?? [])
        {
            var protocol = permission.IpProtocol switch { "-1" => "all", "4" => "ipip", var p => p };
            var from = permission.FromPort ?? -1;
            var to = permission.ToPort ?? -1;
            var ports = protocol is "all" or "ipip" ? "all" : from == to ? $"{from}" : $"{from}-{to}";
            IpPermission Only(Action<IpPermission> source)
            {
                var one = new IpPermission { IpProtocol = permission.IpProtocol, FromPort = permission.FromPort, ToPort = permission.ToPort };
                source(one);
                return one;
            }
            foreach (var range in permission.Ipv4Ranges ?? [])
                yield return ($"{protocol} {ports} from {range.CidrIp}", Only(p => p.Ipv4Ranges = [new IpRange { CidrIp = range.CidrIp }]));
            foreach (var range in permission.Ipv6Ranges ?? [])
                yield return ($"{protocol} {ports} from {range.CidrIpv6}", Only(p => p.Ipv6Ranges = [new Ipv6Range { CidrIpv6 = range.CidrIpv6 }]));
            foreach (var pair in permission.UserIdGroupPairs ?? [])
                yield return ($"{protocol} {ports} from {pair.GroupId}", Only(p => p.UserIdGroupPairs = [new UserIdGroupPair { GroupId = pair.GroupId }]));
            foreach (var list in permission.PrefixListIds ?? [])
                yield return ($"{protocol} {ports} from {list.Id}", Only(p => p.PrefixListIds = [new PrefixListId { Id = list.Id }]));
        }
    }

    private static IpPermission Permission(IngressRule rule, IResolvedIds ids)
    {
        // AWS ignores the ports of any protocol but tcp, udp and icmp; -1 (rather than none) is what it documents for
        // "all", and what moto needs: it fails with a 500 on a portless rule after storing the rules before it.
        var portless = rule.Protocol is "-1" or "4";
        var permission = new IpPermission
        {
            IpProtocol = rule.Protocol,
            FromPort = portless ? -1 : rule.FromPort,
            ToPort = portless ? -1 : rule.ToPort,
        };
        if (rule.Source.Cidr is { } cidr && cidr.Contains(':')) permission.Ipv6Ranges = [new Ipv6Range { CidrIpv6 = cidr, Description = rule.Why }];
        else if (rule.Source.Cidr is { } cidr4) permission.Ipv4Ranges = [new IpRange { CidrIp = cidr4, Description = rule.Why }];
        else permission.UserIdGroupPairs = [new UserIdGroupPair { GroupId = ids.Require(rule.Source.Group!.Value), Description = rule.Why }];
        return permission;
    }
}
