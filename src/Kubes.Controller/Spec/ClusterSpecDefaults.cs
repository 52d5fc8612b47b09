using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Kubes.Controller.Networking;

namespace Kubes.Controller.Spec;

/// <summary>The spec a cluster gets for every field its file leaves out, per provider.</summary>
public static class ClusterSpecDefaults
{
    public const string DefaultName = "kubes";
    public const string DefaultAwsRegion = "us-east-1";
    public const string LocalRegion = "local-1";

    /// <summary>The production spec on AWS: three zones of <paramref name="region"/> named a, b and c.</summary>
    public static ClusterSpec Aws(string name, string region = DefaultAwsRegion) => new()
    {
        Name = name,
        Provider = ProviderKind.Aws,
        Region = region,
        Zones = ZonesOf(region),
    };

    /// <summary>
    /// The embedded local spec (<c>kubes up --local</c> without a file): instances on this machine, each in a network
    /// namespace at its address in a private /16 chosen from the name, state in <c>./.kubes/NAME</c>, agents on gRPC.
    /// </summary>
    public static ClusterSpec Local(string name = DefaultName) => Local(name, LocalRegion);

    /// <summary>The defaults for a spec file that sets <paramref name="provider"/> and maybe <paramref name="region"/>.</summary>
    public static ClusterSpec For(ProviderKind provider, string name, string? region = null) => provider switch
    {
        ProviderKind.Local => Local(name, region ?? LocalRegion),
        _ => Aws(name, region ?? DefaultAwsRegion),
    };

    /// <summary>The zones a region gets when the spec names none: the region followed by a, b and c.</summary>
    public static IReadOnlyList<string> ZonesOf(string region) => [$"{region}a", $"{region}b", $"{region}c"];

    /// <summary>
    /// 10.N.0.0/16 with N in 1..254 taken from a hash of the name, so a cluster keeps its addresses from run to run and
    /// two local clusters rarely share one (<c>up</c> refuses a VPC that another cluster's bridge already routes). N
    /// skips the default pod and service ranges.
    /// </summary>
    public static string LocalVpcCidr(string name)
    {
        var defaults = new NetworkSpec();
        Cidr[] taken = [Cidr.Parse(defaults.PodCidr), Cidr.Parse(defaults.ServiceCidr)];
        var n = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(name))) % 254;
        while (true)
        {
            var vpc = Cidr.Parse($"10.{1 + n}.0.0/16");
            if (!taken.Any(vpc.Overlaps)) return vpc.ToString();
            n = (n + 1) % 254;
        }
    }

    public static string LocalStateStore(string name) => $"./.kubes/{name}";

    private static ClusterSpec Local(string name, string region) => new()
    {
        Name = name,
        Provider = ProviderKind.Local,
        Region = region,
        Zones = ZonesOf(region),
        Network = new NetworkSpec { VpcCidr = LocalVpcCidr(name) },
        StateStore = LocalStateStore(name),
        AgentChannel = AgentChannel.Grpc,
        // There are no EBS volumes on this machine for the driver to attach.
        Addons = new AddonsSpec { EbsCsiDriver = false },
    };
}
