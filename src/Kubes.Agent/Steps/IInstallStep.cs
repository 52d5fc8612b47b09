using Kubes.Protos.V1;

namespace Kubes.Agent.Steps;

/// <summary>
/// One idempotent piece of a role installer: observe the actual state, change it when needed. The step
/// journal remembers which inputs a step was completed with, so a restart resumes and a changed input redoes.
/// </summary>
public interface IInstallStep
{
    /// <summary>Stable and unique within a role: the journal's key and what reports name.</summary>
    string Name { get; }

    /// <summary>Installing, or Starting for steps that start or restart a service.</summary>
    Phase Phase => Phase.Installing;

    /// <summary>A digest of everything the step's result depends on (see <see cref="FileSystem.FileHash.OfInputs"/>).</summary>
    string InputHash { get; }

    Task<bool> IsDoneAsync(CancellationToken cancellationToken);

    Task ApplyAsync(CancellationToken cancellationToken);
}

/// <summary>A step that failed, with its name for the report.</summary>
public sealed class StepFailedException(string step, Exception inner)
    : Exception($"step {step} failed: {inner.Message}", inner)
{
    public string Step { get; } = step;
}
