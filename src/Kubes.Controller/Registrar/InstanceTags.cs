using Kubes.Controller.Topology;

namespace Kubes.Controller.Registrar;

/// <summary>The tags the registrar reads on an instance to decide what it may be.</summary>
public static class InstanceTags
{
    /// <summary>The cluster's name.</summary>
    public const string Cluster = "kubes.io/cluster";

    /// <summary>bastion, etcd, controller or node (<see cref="InstanceRoleNames.TagValue"/>).</summary>
    public const string Role = "kubes.io/role";

    /// <summary>The slot's name, e.g. etcd-0 (<see cref="InstanceSlot.Name"/>).</summary>
    public const string Slot = "kubes.io/slot";
}
