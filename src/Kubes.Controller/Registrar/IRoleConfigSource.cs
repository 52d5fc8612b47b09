using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Controller.Registrar;

/// <summary>
/// The configuration an instance in a slot installs. Its <see cref="RoleConfig.Certificates"/> list
/// is also what the slot is entitled to: the registrar signs those identities and no others.
/// The registrar fills <see cref="RoleConfig.ConfigHash"/>.
/// </summary>
public interface IRoleConfigSource
{
    RoleConfig For(InstanceSlot slot, VerifiedInstance instance);
}
