using Kubes.Controller.Artifacts;
using Kubes.Controller.Status;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Operations.Up;

/// <summary>
/// The roles whose components need a file the cluster has no pinned copy of (no network to read its checksum, nothing
/// imported), with those files' names. Their agents report Failed until the operator provides the files: <c>up</c> does
/// not wait for such a slot, and says what to provide.
/// </summary>
public sealed record UnprovidedArtifacts(IReadOnlyDictionary<string, IReadOnlyList<string>> ByRole)
{
    public static readonly UnprovidedArtifacts None = new(new Dictionary<string, IReadOnlyList<string>>());

    public static UnprovidedArtifacts Of(ClusterTopology topology, PinnedArtifacts pinned)
    {
        var missing = pinned.Missing.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        return new(topology.Roles
            .Select(role => (Role: role.TagValue(), Names: RoleArtifacts.NamesFor(role).Where(missing.Contains).ToList()))
            .Where(role => role.Names.Count > 0)
            .ToDictionary(role => role.Role, role => (IReadOnlyList<string>)role.Names));
    }

    /// <summary>A slot that failed for want of them: settled until the operator acts.</summary>
    public bool Holds(SlotStatus slot) => slot.IsFailed && ByRole.ContainsKey(slot.Role);

    /// <summary>One line per role with a slot held back, naming what the operator provides and how.</summary>
    public IEnumerable<string> ErrorLines(IReadOnlyList<SlotStatus> slots) =>
        ByRole.Where(role => slots.Any(slot => slot.Role == role.Key && Holds(slot)))
            .Select(role => $"error: the {role.Key} slots cannot start without {string.Join(", ", role.Value)}: provide them with " +
                            "'kubes artifacts import DIR' (or 'kubes artifacts mirror' on a machine with network; each 'missing:' line " +
                            "above says more), then run 'kubes up' again.");
}
