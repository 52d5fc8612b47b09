namespace Kubes.Controller.Reconciler;

/// <summary>Live progress of an apply: what is being changed, what is done, what failed.</summary>
public interface IApplyProgress
{
    void Started(ResourceChange change);
    void Succeeded(ResourceChange change, TimeSpan elapsed);
    void Failed(ResourceChange change, Exception error);
    void Skipped(ResourceChange change, string reason);
}
