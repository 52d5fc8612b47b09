using System.Collections.Concurrent;
using Kubes.Controller.Artifacts;
using Kubes.Controller.DesiredState;
using Kubes.Protos.V1;

namespace Kubes.Controller.Registrar;

/// <summary>
/// The role configuration of an instance under one generation of the desired state: that generation's topology and
/// its pinned artifacts, at this coordinator's URLs. The same instance under the same generation always gets the same
/// configuration (and config_hash), whichever coordinator process builds it.
/// </summary>
public sealed class GenerationRoleConfigs(IArtifactUrls urls)
{
    private readonly ConcurrentDictionary<int, TopologyRoleConfigSource> _sources = new();

    public RoleConfig For(SpecGeneration generation, VerifiedInstance instance)
    {
        var source = _sources.GetOrAdd(generation.Number, _ => new TopologyRoleConfigSource(generation.Topology,
            new RoleArtifacts(generation.Artifacts, urls, ArtifactSite.Of(generation.Spec)).For));
        // The slot as that generation places it; a node of an Auto Scaling group has only its zone, the same in every one.
        var slot = instance.InGroup ? instance.Slot : generation.Topology.FindSlot(instance.Role, instance.Slot.Index) ?? instance.Slot;
        return source.For(slot, instance);
    }
}
