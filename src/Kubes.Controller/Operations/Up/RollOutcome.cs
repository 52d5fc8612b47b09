namespace Kubes.Controller.Operations.Up;

/// <summary>
/// How a roll of <see cref="Generation"/> ended: every slot assigned it; or stopped at <see cref="StoppedAt"/> for
/// <see cref="Reason"/>, the members after it untouched; or with members left for a run that may wait for them
/// (<see cref="Deferred"/>, when <c>kubes up</c> does not follow the agents).
/// </summary>
public sealed record RollOutcome(int Generation, string? StoppedAt, string? Reason, IReadOnlyList<string> Deferred)
{
    public bool Stopped => StoppedAt is not null;

    public bool Completed => !Stopped && Deferred.Count == 0;

    public static RollOutcome Done(int generation, IReadOnlyList<string> deferred) => new(generation, null, null, deferred);

    public static RollOutcome StoppedAtMember(int generation, string member, string reason) => new(generation, member, reason, []);
}
