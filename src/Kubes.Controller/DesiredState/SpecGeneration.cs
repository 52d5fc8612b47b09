using Kubes.Controller.Artifacts;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Controller.DesiredState;

/// <summary>
/// One generation of the cluster's desired state, as a <c>kubes up</c> applied it: the spec and the artifact digests
/// pinned for it. Numbered from 1; immutable once stored, so whoever reads it once may keep it.
/// </summary>
public sealed record SpecGeneration(int Number, ClusterSpec Spec, PinnedArtifacts Artifacts)
{
    public ClusterTopology Topology { get; } = ClusterTopology.From(Spec);

    public override string ToString() => $"generation {Number}";
}
