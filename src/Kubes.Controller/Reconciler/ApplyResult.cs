namespace Kubes.Controller.Reconciler;

public sealed record FailedChange(ResourceChange Change, string Reason);

public sealed record ApplyResult(int Applied, IReadOnlyList<FailedChange> Failed, IReadOnlyList<FailedChange> Skipped)
{
    public bool Succeeded => Failed.Count == 0 && Skipped.Count == 0;
}
