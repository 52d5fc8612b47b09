using System.Net;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Registrar;

/// <summary>
/// An instance the registrar has checked: it runs, it is tagged for this cluster, role and slot,
/// and (on gRPC) it is the one talking. Everything a certificate may name comes from here.
/// </summary>
/// <param name="PrivateIp">The address the instance directory reports (not the agent's claim).</param>
/// <param name="DataVolumeId">The slot's data volume (vol-…) as the cloud tags it; null where there is none (local provider).</param>
public sealed record VerifiedInstance(string Cluster, string InstanceId, InstanceSlot Slot, IPAddress PrivateIp,
    string? DataVolumeId = null)
{
    public InstanceRole Role => Slot.Role;
    public string Name => Slot.Name;
}
