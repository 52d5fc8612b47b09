using Amazon.EC2.Model;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Aws.Handlers;
using Kubes.Controller.Tests.Fixtures;

namespace Kubes.Controller.Tests.Aws;

/// <summary>
/// docs/network.md's security-group matrix, line by line, against the groups a real <c>up</c> leaves in the emulator.
/// The groups are read back with a plain DescribeSecurityGroups and named by their AWS group names, so nothing of
/// the handlers or of SecurityGroupRules stands between the document and the cloud.
/// </summary>
[Collection(MotoServer.Collection)]
public sealed class SecurityGroupMatrixTests(MotoServer moto) : IAsyncLifetime
{
    private const string AdminCidr = "203.0.113.0/24";

    /// <summary>The table of docs/network.md without the CNI lines, in its order (checked against the file below).</summary>
    private static readonly Line[] Matrix =
    [
        new("bastion", "tcp", "22", AdminCidr),
        new("bastion", "udp", "1194", AdminCidr),
        new("etcd", "tcp", "2379", "controller"),
        new("etcd", "tcp", "2380", "etcd"),
        new("etcd", "tcp", "22", "bastion"),
        new("controller", "tcp", "6443", "api-lb"),
        new("controller", "tcp", "6443", "node"),
        new("controller", "tcp", "6443", "bastion"),
        new("controller", "tcp", "6443", "controller"),
        new("controller", "tcp", "22", "bastion"),
        new("node", "tcp", "10250", "controller"),
        new("node", "tcp", "22", "bastion"),
        new("node", "tcp", "4443", "controller"),
        new("node", "tcp", "10250", "node"),
        new("api-lb", "tcp", "6443", "node"),
        new("api-lb", "tcp", "6443", "controller"),
        new("api-lb", "tcp", "6443", "bastion"),
        new("api-lb", "tcp", "6443", AdminCidr),
    ];

    /// <summary>The matrix's CNI lines: node to node, only for the CNI that needs them.</summary>
    private static readonly IReadOnlyDictionary<CniKind, Line[]> CniLines = new Dictionary<CniKind, Line[]>
    {
        [CniKind.Calico] =
            [new("node", "tcp", "179", "node"), new("node", "ipip", "all", "node"), new("node", "tcp", "5473", "node")],
        [CniKind.Flannel] = [new("node", "udp", "8472", "node")],
    };

    public Task InitializeAsync() => moto.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void The_lines_asserted_here_are_the_lines_of_the_table_in_docs_network_md()
    {
        var expected = Matrix.Concat(CniLines.Values.SelectMany(lines => lines)).Distinct();
        Assert.Equal(Sorted(expected), Sorted(DocumentedMatrix()));
    }

    [Theory]
    [InlineData(CniKind.Calico)]
    [InlineData(CniKind.Flannel)]
    public async Task Every_group_admits_exactly_the_lines_of_the_matrix_and_the_nodes_exactly_their_CNI(CniKind cni)
    {
        using var cluster = new AwsClusterHarness(moto, spec => spec with { Cni = cni });
        await UpAsync(cluster);

        var live = await LiveGroupsAsync(cluster);

        Assert.Equal(["api-lb", "bastion", "controller", "etcd", "node"], live.Groups.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Sorted([.. Matrix, .. CniLines[cni]]), Sorted(live.Ingress));
        // The rules as AWS reports them read back as the rules asked for: a second up changes nothing.
        var (plan, _) = await cluster.Reconciler().PlanAsync(cluster.Desired, CancellationToken.None);
        Assert.Empty(plan.Changes);
    }

    [Fact]
    public async Task No_ingress_rule_is_open_to_the_internet_and_egress_is_the_AWS_default()
    {
        using var cluster = new AwsClusterHarness(moto);
        await UpAsync(cluster);

        // The VPC's default group included: "anywhere" means every group the cluster's instances could be put in.
        foreach (var group in (await LiveGroupsAsync(cluster)).AllInVpc)
        {
            foreach (var permission in group.IpPermissions ?? [])
            {
                Assert.All(permission.Ipv4Ranges ?? [], range => Assert.NotEqual("0.0.0.0/0", range.CidrIp));
                Assert.All(permission.Ipv6Ranges ?? [], range => Assert.NotEqual("::/0", range.CidrIpv6));
                Assert.Empty(permission.Ipv6Ranges ?? []);
                Assert.Empty(permission.PrefixListIds ?? []);
            }
            var egress = Assert.Single(group.IpPermissionsEgress ?? []);
            Assert.Equal("-1", egress.IpProtocol);
            Assert.Equal("0.0.0.0/0", Assert.Single(egress.Ipv4Ranges).CidrIp);
        }
    }

    [Fact]
    public async Task The_api_port_is_open_only_to_the_load_balancer_the_nodes_the_controllers_the_bastion_and_the_admin_CIDRs()
    {
        using var cluster = new AwsClusterHarness(moto);
        await UpAsync(cluster);

        // Any rule that admits TCP 6443: the port itself, or every port of TCP or of every protocol (Calico's IP-in-IP, protocol
        // 4, carries no TCP port).
        var api = (await LiveGroupsAsync(cluster)).Ingress
            .Where(l => l.Port == "6443" || (l.Port == "all" && l.Protocol is "tcp" or "all")).ToList();

        Assert.All(api, line => Assert.Equal("tcp", line.Protocol));
        Assert.Equal(["api-lb", "controller"], api.Select(l => l.To).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal([AdminCidr, "api-lb", "bastion", "controller", "node"], api.Select(l => l.From).Distinct().Order(StringComparer.Ordinal));
        // The admin CIDRs reach the API only through the load balancer, never a controller directly.
        Assert.Equal(["api-lb"], api.Where(l => l.From == AdminCidr).Select(l => l.To));
    }

    [Fact]
    public async Task The_bastion_admits_only_the_admin_CIDR()
    {
        using var cluster = new AwsClusterHarness(moto);
        await UpAsync(cluster);

        var bastion = (await LiveGroupsAsync(cluster)).Groups["bastion"];
        var permissions = bastion.IpPermissions ?? [];
        Assert.NotEmpty(permissions);
        Assert.All(permissions, p =>
        {
            Assert.Equal(AdminCidr, Assert.Single(p.Ipv4Ranges).CidrIp);
            Assert.Empty(p.UserIdGroupPairs ?? []);
        });
        Assert.Equal(["tcp 22", "udp 1194"], permissions.Select(p => $"{p.IpProtocol} {p.FromPort}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Without_a_bastion_there_is_no_bastion_group_and_no_rule_names_one()
    {
        using var cluster = new AwsClusterHarness(moto, spec => spec with { Bastion = spec.Bastion with { Count = 0 } });
        await UpAsync(cluster);

        var live = await LiveGroupsAsync(cluster);

        Assert.DoesNotContain("bastion", live.Groups.Keys);
        Assert.Equal(Sorted([.. Matrix.Where(l => l.To != "bastion" && l.From != "bastion"), .. CniLines[CniKind.Calico]]),
            Sorted(live.Ingress));
        // Every group a rule names is one of the cluster's own groups, so none can be a left-over bastion group.
        var ids = live.Groups.Values.Select(g => g.GroupId).ToHashSet();
        Assert.All(live.Groups.Values.SelectMany(g => g.IpPermissions ?? []).SelectMany(p => p.UserIdGroupPairs ?? []),
            pair => Assert.Contains(pair.GroupId, ids));
    }

    private static async Task UpAsync(AwsClusterHarness cluster)
    {
        var result = await cluster.UpAsync();
        Assert.True(result.Succeeded,
            string.Join("\n", result.Failed.Concat(result.Skipped).Select(f => $"{f.Change.Key}: {f.Reason}")));
    }

    /// <summary>The cluster's groups by role (their AWS names are "demo-&lt;role&gt;") and every ingress rule, one per source.</summary>
    private static async Task<LiveGroups> LiveGroupsAsync(AwsClusterHarness cluster)
    {
        var prefix = $"{cluster.Spec.Name}-";
        var response = await cluster.Clients.Ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest
        {
            Filters = [new Filter { Name = "vpc-id", Values = [await VpcIdAsync(cluster)] }],
        });
        var all = response.SecurityGroups ?? [];
        var groups = all
            .Where(g => g.GroupName != "default")
            .ToDictionary(g => g.GroupName.StartsWith(prefix, StringComparison.Ordinal) ? g.GroupName[prefix.Length..] : g.GroupName);
        var names = groups.ToDictionary(g => g.Value.GroupId, g => g.Key);

        var ingress = new List<Line>();
        foreach (var (to, group) in groups)
        {
            foreach (var permission in group.IpPermissions ?? [])
            {
                var (protocol, port) = ProtocolAndPort(permission);
                ingress.AddRange((permission.Ipv4Ranges ?? []).Select(r => new Line(to, protocol, port, r.CidrIp)));
                ingress.AddRange((permission.Ipv6Ranges ?? []).Select(r => new Line(to, protocol, port, r.CidrIpv6)));
                ingress.AddRange((permission.UserIdGroupPairs ?? []).Select(pair =>
                    new Line(to, protocol, port, names.GetValueOrDefault(pair.GroupId, pair.GroupId))));
            }
        }
        return new LiveGroups(groups, ingress, all);
    }

    /// <summary>Every group of the cluster's VPC, so a group the cluster made but forgot to tag is seen too.</summary>
    private static async Task<string> VpcIdAsync(AwsClusterHarness cluster)
    {
        var vpcs = await cluster.Clients.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest
        {
            Filters = [new Filter { Name = "tag:kubes.io/cluster", Values = [cluster.Spec.Name] }],
        });
        return Assert.Single(vpcs.Vpcs).VpcId;
    }

    private static (string Protocol, string Port) ProtocolAndPort(IpPermission permission) => permission.IpProtocol switch
    {
        "4" or "ipip" => ("ipip", "all"),
        "-1" => ("all", "all"),
        var protocol => (protocol, permission.FromPort == permission.ToPort
            ? $"{permission.FromPort}"
            : $"{permission.FromPort}-{permission.ToPort}"),
    };

    /// <summary>
    /// The rows of docs/network.md's matrix: "ipip (4)" is ipip, <c>`adminCidrs`</c> is the harness's admin CIDR, and a
    /// "from" that lists several groups is one line per group.
    /// </summary>
    private static IEnumerable<Line> DocumentedMatrix()
    {
        var rows = File.ReadLines(NetworkDoc())
            .SkipWhile(line => !line.StartsWith("| to (group) |", StringComparison.Ordinal))
            .Skip(2)
            .TakeWhile(line => line.StartsWith('|'))
            .Select(line => line.Split('|').Select(cell => cell.Trim()).ToArray())
            .ToList();
        Assert.NotEmpty(rows);
        foreach (var cells in rows)
        {
            var (to, protocol, port, from) = (cells[1], cells[2].Split(' ')[0], cells[3], cells[4]);
            foreach (var source in from.Split(", "))
                yield return new Line(to, protocol, port, source == "`adminCidrs`" ? AdminCidr : source);
        }
    }

    /// <summary>docs/network.md, found by walking up from the test's output folder to the repository.</summary>
    private static string NetworkDoc()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "docs", "network.md");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"docs/network.md not found above {AppContext.BaseDirectory}");
    }

    private static List<string> Sorted(IEnumerable<Line> lines) => [.. lines.Select(l => l.ToString()).Order(StringComparer.Ordinal)];

    /// <summary>One line of the matrix: to (group), protocol, port, from (group or CIDR).</summary>
    private sealed record Line(string To, string Protocol, string Port, string From)
    {
        public override string ToString() => $"{To} <- {Protocol} {Port} from {From}";
    }

    private sealed record LiveGroups(
        IReadOnlyDictionary<string, SecurityGroup> Groups, IReadOnlyList<Line> Ingress, IReadOnlyList<SecurityGroup> AllInVpc);
}
