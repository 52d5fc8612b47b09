using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Cli.Rendering;

/// <summary>Live progress of an apply, one line per event: what is being changed, done, failed, retried or skipped.</summary>
public sealed class ConsoleApplyProgress(TextWriter output) : IApplyProgress
{
    private readonly Lock _gate = new();

    public void Started(ResourceChange change) => Write($"  {Verb(change.Action)} {change.Key} ...");

    public void Succeeded(ResourceChange change, TimeSpan elapsed) =>
        Write($"  {Done(change.Action)} {change.Key} ({elapsed.TotalSeconds:0.0}s)");

    public void Failed(ResourceChange change, Exception error) => Write($"  FAILED {change.Key}: {error.Message}");

    public void Retrying(ResourceChange change, Exception error, int attempt, TimeSpan delay) =>
        Write($"  waiting {change.Key}: attempt {attempt} failed ({error.Message}); next in {delay.TotalSeconds:0} s");

    public void Skipped(ResourceChange change, string reason) => Write($"  skipped {change.Key}: {reason}");

    private void Write(string line)
    {
        lock (_gate) output.WriteLine(line);
    }

    private static string Verb(ChangeAction action) => action switch
    {
        ChangeAction.Create => "creating",
        ChangeAction.Update => "updating",
        _ => "deleting",
    };

    private static string Done(ChangeAction action) => action switch
    {
        ChangeAction.Create => "created",
        ChangeAction.Update => "updated",
        _ => "deleted",
    };
}
