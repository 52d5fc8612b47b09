namespace Kubes.Controller.Reconciler;

/// <summary>Live progress of an apply: what is being changed, what is done, what failed.</summary>
public interface IApplyProgress
{
    void Started(ResourceChange change);
    void Succeeded(ResourceChange change, TimeSpan elapsed);
    void Failed(ResourceChange change, Exception error);

    /// <summary>Attempt <paramref name="attempt"/> failed in a way worth waiting out; the next starts after <paramref name="delay"/>.</summary>
    void Retrying(ResourceChange change, Exception error, int attempt, TimeSpan delay);
    void Skipped(ResourceChange change, string reason);
}
