using System.Collections.Concurrent;
using Kubes.Controller.Artifacts;
using Kubes.Controller.Components;
using Kubes.Controller.DesiredState;

namespace Kubes.Controller.Registrar;

/// <summary>
/// The role configuration of an instance under one generation of the desired state, and the certificates it holds under
/// it: that generation's topology, issuance policy and pinned artifacts, at this coordinator's URLs, with the cluster's
/// current material (a revocation list is not rolled out by generation: it reaches every instance at its next re-sync).
/// The same instance under the same generation and material always gets the same configuration (and config_hash) and
/// the same certificate contents, whichever coordinator process builds them.
/// </summary>
public sealed class GenerationRoleConfigs(IArtifactUrls urls, Func<ClusterMaterial>? material = null)
{
    private readonly Func<ClusterMaterial> _material = material ?? (() => ClusterMaterial.None);
    private readonly ConcurrentDictionary<int, TopologyRoleConfigSource> _sources = new();
    /// <summary>By the instance as verified: a data volume found later is another configuration.</summary>
    private readonly ConcurrentDictionary<(int Generation, VerifiedInstance Instance, ClusterMaterial Material), string> _hashes = new();

    public DesiredRole For(SpecGeneration generation, VerifiedInstance instance) => For(generation, instance, _material());

    /// <summary>The config_hash of <see cref="For(SpecGeneration, VerifiedInstance)"/>, computed once per generation,
    /// instance and material.</summary>
    public string HashFor(SpecGeneration generation, VerifiedInstance instance)
    {
        var material = _material();
        return _hashes.GetOrAdd((generation.Number, instance, material), key => For(generation, instance, key.Material).Config.ComputeConfigHash());
    }

    private DesiredRole For(SpecGeneration generation, VerifiedInstance instance, ClusterMaterial material)
    {
        var source = _sources.GetOrAdd(generation.Number, _ => new TopologyRoleConfigSource(generation.Topology,
            new RoleArtifacts(generation.Artifacts, urls, ArtifactSite.Of(generation.Spec)).For));
        // The slot as that generation places it; a node of an Auto Scaling group has only its zone, the same in every one.
        var slot = instance.InGroup ? instance.Slot : generation.Topology.FindSlot(instance.Role, instance.Slot.Index) ?? instance.Slot;
        return source.For(slot, instance, material);
    }
}
