using Google.Protobuf.WellKnownTypes;
using Kubes.Agent.Steps;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Components;

/// <summary>
/// Installs any role the same way: the steps of its components, one component after the other, run by the step runner
/// (journaled, resumable); then its health, component by component. The role is healthy when every component is.
/// </summary>
public sealed class RoleInstaller(RoleComponents components, StepRunner runner, TimeProvider time, ILogger<RoleInstaller> log)
{
    public bool CanInstall(Role role) => components.For(role).Count > 0;

    /// <summary>
    /// Runs every step of the role. A component whose program the coordinator had no copy of
    /// (<see cref="Conversation.ArtifactNotProvidedException"/>) does not hold back the components before it: they are
    /// installed (a node's containerd runs while its kubelet waits for the operator's import), then the exception is
    /// thrown. Every component is planned before any step runs, so a configuration the agent must not act on is refused
    /// with nothing done.
    /// </summary>
    /// <param name="starting">Called before a step is applied, so the caller can report it.</param>
    public async Task InstallAsync(RoleConfig config, Func<IInstallStep, Task> starting, CancellationToken cancellationToken)
    {
        var steps = new List<IInstallStep>();
        Conversation.ArtifactNotProvidedException? unprovided = null;
        foreach (var component in components.For(config.Role))
        {
            try
            {
                var planned = component.PlanSteps(config);
                if (unprovided is null) steps.AddRange(planned);
            }
            catch (Conversation.ArtifactNotProvidedException e)
            {
                unprovided ??= e;
            }
        }
        await runner.RunAsync(steps, starting, cancellationToken);
        if (unprovided is not null) throw unprovided;
    }

    /// <summary>The earliest renewal time of what the role's components hold themselves (<see cref="IRenewsCredential"/>).</summary>
    public DateTimeOffset? RenewalDue(RoleConfig config)
    {
        var due = components.For(config.Role).OfType<IRenewsCredential>().Select(c => c.RenewalDue(config))
            .Where(d => d is not null).Select(d => d!.Value).ToList();
        return due.Count == 0 ? null : due.Min();
    }

    public async Task<RoleHealth> CheckHealthAsync(RoleConfig config, CancellationToken cancellationToken)
    {
        var results = new List<ComponentHealth>();
        foreach (var component in components.For(config.Role))
        {
            results.Add(await CheckAsync(component, config, cancellationToken));
        }

        var role = new Health
        {
            Healthy = results.Count > 0 && results.All(r => r.Healthy),
            Detail = string.Join("; ", results.Select(r => $"{r.Component}: {r.Detail}")),
            CheckedAt = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
        };
        return new RoleHealth(role, results);
    }

    /// <summary>A check that fails to run is an unhealthy component, with the reason, never a failed role.</summary>
    private async Task<ComponentHealth> CheckAsync(IComponent component, RoleConfig config, CancellationToken cancellationToken)
    {
        try
        {
            var health = await component.CheckHealthAsync(config, cancellationToken);
            health.Component = component.Name;
            return health;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.LogWarning(e, "The health check of {Component} failed to run", component.Name);
            return new ComponentHealth { Component = component.Name, Healthy = false, Detail = $"the health check failed: {e.Message}" };
        }
    }
}

/// <summary>The role's health as reported: the whole, and each component's.</summary>
public sealed record RoleHealth(Health Role, IReadOnlyList<ComponentHealth> Components);
