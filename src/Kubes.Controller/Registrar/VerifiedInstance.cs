using System.Net;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Registrar;

/// <summary>
/// An instance the registrar has checked: it runs, it is tagged for this cluster, role and slot,
/// and (on gRPC) it is the one talking. Everything a certificate may name comes from here.
/// </summary>
/// <param name="PrivateIp">The address the instance directory reports (not the agent's claim).</param>
/// <param name="InGroup">A node of the Auto Scaling group: its slot is only its zone, and its name is its instance id.</param>
/// <param name="DataVolumeId">The slot's data volume (vol-…) as the cloud tags it; null where there is none (local provider).</param>
public sealed record VerifiedInstance(string Cluster, string InstanceId, InstanceSlot Slot, IPAddress PrivateIp,
    bool InGroup = false, string? DataVolumeId = null)
{
    public InstanceRole Role => Slot.Role;

    /// <summary>The slot's name (etcd-0, node-3), or a group node's instance id.</summary>
    public string Name => InGroup ? InstanceId : Slot.Name;
}
