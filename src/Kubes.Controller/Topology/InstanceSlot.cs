using System.Net;

namespace Kubes.Controller.Topology;

/// <summary>
/// A place for exactly one instance. A replacement instance takes over the slot: its zone, its
/// fixed private address (etcd, controller, bastion), its data volume and its certificate names.
/// </summary>
public sealed record InstanceSlot(
    InstanceRole Role,
    int Index,
    ZoneNetwork Zone,
    bool Public,
    IPAddress? PrivateIp,
    string InstanceType,
    int RootVolumeSizeGiB,
    int DataVolumeSizeGiB)
{
    /// <summary>etcd-0, controller-2, node-5, bastion-0.</summary>
    public string Name => $"{Role.TagValue()}-{Index}";

    public bool HasDataVolume => DataVolumeSizeGiB > 0;
}
