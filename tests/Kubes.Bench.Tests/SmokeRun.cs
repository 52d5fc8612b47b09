namespace Kubes.Bench.Tests;

/// <summary>
/// The benchmark scenarios' smoke runs share the machine with everything else CI runs: one at a time. They check that
/// each scenario still runs end to end at a tiny size and that what it measured is complete; never how fast.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SmokeRun
{
    public const string Name = "bench smoke runs";
}
