using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Controller.Registrar;

/// <summary>The contract's Role enum and the topology's InstanceRole, one for one.</summary>
public static class ProtoRoles
{
    public static Role ToProto(this InstanceRole role) => role switch
    {
        InstanceRole.Bastion => Role.Bastion,
        InstanceRole.Etcd => Role.Etcd,
        InstanceRole.Controller => Role.Controller,
        InstanceRole.Node => Role.Node,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public static bool TryFromProto(Role role, out InstanceRole instanceRole)
    {
        (var known, instanceRole) = role switch
        {
            Role.Bastion => (true, InstanceRole.Bastion),
            Role.Etcd => (true, InstanceRole.Etcd),
            Role.Controller => (true, InstanceRole.Controller),
            Role.Node => (true, InstanceRole.Node),
            _ => (false, default),
        };
        return known;
    }
}
