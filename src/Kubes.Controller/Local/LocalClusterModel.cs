using Kubes.Controller.Reconciler;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Local;

/// <summary>The local provider's resources: one instance (a process tree on a loopback address) per slot.</summary>
public static class LocalClusterModel
{
    public const string InstanceType = "local-instance";

    public static ResourceKey Instance(InstanceSlot slot) => new(InstanceType, slot.Name);

    public static IReadOnlyList<DesiredResource> Build(ClusterTopology topology) =>
        [.. topology.Slots.Select(slot => new LocalInstanceResource(Instance(slot), slot))];
}

public sealed record LocalInstanceResource(ResourceKey Key, InstanceSlot Slot) : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn => [];

    public override IReadOnlyList<ResourceProperty> Describe() =>
    [
        new("role", Slot.Role.TagValue()),
        new("address", Slot.PrivateIp?.ToString() ?? "(none)"),
        new("zone", Slot.Zone.Zone),
        new("root", $"<state>/instances/{Slot.Name}"),
        new("userData", "bootstrap.sh with a single-use join token"),
    ];
}
