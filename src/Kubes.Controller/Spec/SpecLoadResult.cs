using System.Diagnostics.CodeAnalysis;

namespace Kubes.Controller.Spec;

/// <summary>
/// The outcome of loading a spec: the spec when it is valid, otherwise every problem found
/// (sorted by line). <see cref="SourceName"/> is what problems are reported against (the file path).
/// </summary>
public sealed class SpecLoadResult
{
    public SpecLoadResult(string sourceName, ClusterSpec? spec, IReadOnlyList<SpecProblem> problems,
        SpecLocations? locations = null)
    {
        if ((spec is null) == (problems.Count == 0))
            throw new ArgumentException("a load result has either a spec or problems", nameof(problems));
        SourceName = sourceName;
        Spec = spec;
        Problems = problems;
        Locations = locations ?? SpecLocations.None;
    }

    public string SourceName { get; }

    /// <summary>The valid spec; null whenever there is a problem.</summary>
    public ClusterSpec? Spec { get; }

    public IReadOnlyList<SpecProblem> Problems { get; }

    /// <summary>Where each field sits in the file, for problems found later (by <c>kubes up</c>, say).</summary>
    public SpecLocations Locations { get; }

    [MemberNotNullWhen(true, nameof(Spec))]
    public bool IsValid => Spec is not null;

    public static SpecLoadResult Valid(string sourceName, ClusterSpec spec, SpecLocations? locations = null) =>
        new(sourceName, spec, [], locations);

    public static SpecLoadResult Invalid(string sourceName, IReadOnlyList<SpecProblem> problems, SpecLocations? locations = null) =>
        new(sourceName, null, problems, locations);

    /// <summary>One line per problem: <c>cluster.yaml:12:5: spec.etcd.count: must be ...</c>.</summary>
    public IEnumerable<string> FormatProblems() => Problems.Select(p => p.Format(SourceName));
}
