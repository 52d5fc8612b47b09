namespace Kubes.Controller.Topology;

/// <summary>
/// Nodes as an Auto Scaling group: <see cref="Desired"/> instances launched from one template into the private subnet of
/// any zone. A group node has no slot of its own: its name is its instance id and its address the one the cloud gave it,
/// both taken from the verified instance. Every group node joins as slot index 0 of role node.
/// </summary>
public sealed record NodeGroup(
    IReadOnlyList<ZoneNetwork> Zones, int Desired, int Min, int Max, string InstanceType, int RootVolumeSizeGiB)
{
    /// <summary>The slot index every group node claims (its user-data has no slot of its own).</summary>
    public const int SlotIndex = 0;

    /// <summary>What the launch template describes: a node in the first zone, without a fixed address.</summary>
    public InstanceSlot Prototype => PlaceIn(Zones[0]);

    /// <summary>The place of a group node that runs in <paramref name="zone"/>: no fixed address, no data volume.</summary>
    public InstanceSlot PlaceIn(ZoneNetwork zone) =>
        new(InstanceRole.Node, SlotIndex, zone, Public: false, PrivateIp: null, InstanceType, RootVolumeSizeGiB, DataVolumeSizeGiB: 0);

    public ZoneNetwork? ZoneNamed(string? zone) => Zones.FirstOrDefault(z => z.Zone == zone);
}
