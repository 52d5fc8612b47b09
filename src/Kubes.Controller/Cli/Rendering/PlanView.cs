using System.Text.Json;
using System.Text.Json.Serialization;
using Kubes.Controller.Pki;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Cli.Rendering;

/// <summary>The plan as printed: resource changes, instance slots, certificate identities, the CAs and the
/// service-account key. Its JSON is the machine-readable contract documented in the README.</summary>
public sealed record PlanView(
    string Cluster,
    string Provider,
    bool Offline,
    PlanSummary Summary,
    IReadOnlyList<ChangeView> Changes,
    IReadOnlyList<SlotView> Instances,
    IReadOnlyList<CertificateView> Certificates,
    IReadOnlyList<AuthorityView> Authorities,
    ServiceAccountKeyView ServiceAccountKey)
{
    /// <summary>The nodes as an Auto Scaling group, which have no slots; null when nodes have slots.</summary>
    public NodeGroupView? NodeGroup { get; init; }

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static PlanView From(ClusterTopology topology, Plan plan, bool offline) =>
        new(topology.Spec.Name,
            topology.Spec.Provider.ToString().ToLowerInvariant(),
            offline,
            new PlanSummary(plan.Count(ChangeAction.Create), plan.Count(ChangeAction.Update), plan.Count(ChangeAction.Delete),
                plan.Unchanged),
            [.. DependencyOrder.Sort(plan.Changes).Select(ChangeView.From)],
            [.. topology.Slots.Select(SlotView.From)],
            CertificateViews.From(topology, new IssuancePolicy(topology)),
            CertificateViews.Authorities(topology.Spec),
            CertificateViews.ServiceAccountKey(topology.Spec))
        {
            NodeGroup = topology.NodeGroup is { } group ? NodeGroupView.From(group) : null,
        };
}

public sealed record PlanSummary(int Create, int Update, int Delete, int Unchanged);

public sealed record ChangeView(string Action, string Resource, string Type, string? Id, IReadOnlyList<string> DependsOn,
    IReadOnlyList<FieldView> Fields)
{
    public static ChangeView From(ResourceChange change) => new(
        change.Action.ToString().ToLowerInvariant(),
        change.Key.ToString(),
        change.Key.Type,
        change.Actual?.Id,
        [.. change.DependsOn.Select(d => d.ToString())],
        [.. change.Fields.Select(f => new FieldView(f.Field, f.From, f.To))]);
}

public sealed record FieldView(string Name, string? From, string? To);

public sealed record SlotView(string Slot, string Role, int Index, string Zone, string Subnet, string? PrivateIp,
    string InstanceType, int RootVolumeGiB, int DataVolumeGiB)
{
    public static SlotView From(InstanceSlot slot) => new(slot.Name, slot.Role.TagValue(), slot.Index, slot.Zone.Zone,
        slot.Public ? slot.Zone.PublicSubnet.ToString() : slot.Zone.PrivateSubnet.ToString(), slot.PrivateIp?.ToString(),
        slot.InstanceType, slot.RootVolumeSizeGiB, slot.DataVolumeSizeGiB);
}

/// <summary>An Auto Scaling group of nodes: how many, where, and that each node's name and address come from the instance.</summary>
public sealed record NodeGroupView(string Role, int Desired, int Min, int Max, IReadOnlyList<string> Zones,
    IReadOnlyList<string> Subnets, string InstanceType, int RootVolumeGiB, string NodeName, string PrivateIp)
{
    public static NodeGroupView From(NodeGroup group) => new(InstanceRole.Node.TagValue(), group.Desired, group.Min, group.Max,
        [.. group.Zones.Select(z => z.Zone)], [.. group.Zones.Select(z => z.PrivateSubnet.ToString())], group.InstanceType,
        group.RootVolumeSizeGiB, "the instance id, verified through STS", "assigned by the subnet");
}

/// <param name="ListenAddress">
/// Set on the coordinator's serving certificate only: the IP SAN that is where <c>kubes serve</c> listens, shown
/// for the default; <c>kubes serve --listen ADDR:PORT</c> puts ADDR in its place.
/// </param>
public sealed record CertificateView(string Identity, string Issuer, string CommonName, IReadOnlyList<string> Organizations,
    IReadOnlyList<string> DnsNames, IReadOnlyList<string> IpAddresses, IReadOnlyList<string> KeyUsages,
    IReadOnlyList<string> ExtendedKeyUsages, string Lifetime)
{
    public string? ListenAddress { get; init; }
}

/// <summary>One CA: self-signed, signing leaf certificates only.</summary>
/// <param name="Lifetime">As the spec writes it (<c>3650d</c>).</param>
public sealed record AuthorityView(string Name, string CommonName, string KeyAlgorithm, IReadOnlyList<string> KeyUsages,
    string Lifetime);

/// <summary>The key pair that signs service-account tokens; no certificate, no expiry.</summary>
public sealed record ServiceAccountKeyView(string KeyAlgorithm, string TokenAlgorithm);
