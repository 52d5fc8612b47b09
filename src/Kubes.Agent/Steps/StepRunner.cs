using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Steps;

/// <summary>
/// Runs a role's steps in order. A step is skipped only when the journal holds it with the same inputs
/// and its actual state is still there; otherwise it is applied and must then be observed done.
/// </summary>
public sealed class StepRunner(StepJournal journal, ILogger<StepRunner> log)
{
    /// <param name="starting">Called before a step is applied, so the caller can report it.</param>
    public async Task RunAsync(IReadOnlyList<IInstallStep> steps, Func<IInstallStep, Task> starting,
        CancellationToken cancellationToken)
    {
        var names = steps.Select(s => s.Name).ToList();
        if (names.Distinct().Count() != names.Count)
        {
            throw new ArgumentException($"step names repeat: {string.Join(", ", names)}");
        }

        foreach (var step in steps)
        {
            try
            {
                var recorded = journal.IsCompleted(step.Name, step.InputHash);
                if (recorded && await step.IsDoneAsync(cancellationToken))
                {
                    log.LogInformation("Step {Step} is done (journal and actual state agree)", step.Name);
                    continue;
                }

                log.LogInformation("Step {Step}: applying ({Reason})", step.Name,
                    recorded ? "journaled, but its result is gone" :
                    journal.Entries.ContainsKey(step.Name) ? "its inputs changed" : "not done yet");
                journal.Forget(step.Name);
                await starting(step);
                await step.ApplyAsync(cancellationToken);
                if (!await step.IsDoneAsync(cancellationToken))
                {
                    throw new InvalidOperationException("it was applied but its result is not there");
                }

                journal.Complete(step.Name, step.InputHash);
                log.LogInformation("Step {Step} completed", step.Name);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw new StepFailedException(step.Name, e);
            }
        }
    }
}
