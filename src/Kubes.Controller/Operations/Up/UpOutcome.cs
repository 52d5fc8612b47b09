using Kubes.Controller.Reconciler;
using Kubes.Controller.Status;

namespace Kubes.Controller.Operations.Up;

/// <summary>What an <c>up</c> applied, every slot as its agent last reported (none when the apply failed), how the roll
/// of its desired state went (null when there was none to run), and which roles lack files the operator must provide.</summary>
public sealed record UpOutcome(ApplyResult Result, IReadOnlyList<SlotStatus> Slots, RollOutcome? Roll = null,
    UnprovidedArtifacts? Unprovided = null)
{
    /// <summary>What was applied and where the slots are, for callers that leave the roll to the command line.</summary>
    public void Deconstruct(out ApplyResult result, out IReadOnlyList<SlotStatus> slots)
    {
        result = Result;
        slots = Slots;
    }
}
