using Kubes.Controller.Reconciler;
using Kubes.Controller.Status;

namespace Kubes.Controller.Operations.Up;

/// <summary>What an <c>up</c> applied, and every slot as its agent last reported (none when the apply failed).</summary>
public sealed record UpOutcome(ApplyResult Result, IReadOnlyList<SlotStatus> Slots);
