using Kubes.Controller.Operations.Up;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Status;

namespace Kubes.Controller.Cli.Rendering;

/// <summary><c>kubes up</c> as the operator reads it: a line per change applied, a line per step of a roll, and the agents
/// as they report.</summary>
public sealed class ConsoleUpProgress(TextWriter output) : IUpProgress
{
    private readonly ConsoleApplyProgress _changes = new(output);
    private readonly IAgentStatusView _agents = AgentStatusViews.For(output);

    public void CoordinatorReady(string coordinator) => output.WriteLine(coordinator);

    public void Applying(string cluster, string where, string state) =>
        output.WriteLine($"Applying cluster {cluster} {where} (state: {state}):");

    public void Applied(Plan plan, ApplyResult result) => output.WriteLine(plan.IsEmpty
        ? "Infrastructure: nothing to change."
        : $"Infrastructure: {result.Applied} of {plan.Changes.Count} changes applied.");

    public void ArtifactsResolved(IReadOnlyList<string> lines)
    {
        foreach (var line in lines) output.WriteLine(line);
    }

    public void FollowingAgents(string answeredBy, TimeSpan wait) =>
        output.WriteLine($"Following the agents, {answeredBy} (up to {wait.TotalMinutes:0} min):");

    public void AddonManagersGranted(string? problem) => output.WriteLine(problem is null
        ? $"RBAC: the controllers' add-on managers are bound to cluster-admin (ClusterRoleBinding {AddonManagerGrant.BindingName})."
        : $"warning: the controllers' add-on managers are not bound to cluster-admin yet ({problem}); 'kubes up' binds them once the API answers, and the controllers apply the add-ons after that.");

    public void PodNetworkResolved(string line) => output.WriteLine(line);

    public void Started(ResourceChange change) => _changes.Started(change);
    public void Succeeded(ResourceChange change, TimeSpan elapsed) => _changes.Succeeded(change, elapsed);
    public void Failed(ResourceChange change, Exception error) => _changes.Failed(change, error);
    public void Retrying(ResourceChange change, Exception error, int attempt, TimeSpan delay) => _changes.Retrying(change, error, attempt, delay);
    public void Skipped(ResourceChange change, string reason) => _changes.Skipped(change, reason);

    public void RollAssigned(string member, int generation, string why) => Line($"  {member}: on generation {generation} at once ({why})");

    public void RollStarting(int generation, string role, IReadOnlyList<string> members) =>
        Line($"Rolling generation {generation} of the desired state across {role}, one member at a time: {string.Join(", ", members)}");

    public void RollWaiting(string member, string what) => Line($"  {member}: waiting for {what}");

    public void RollMemberDone(string member, int generation, TimeSpan took) =>
        Line($"  {member}: runs generation {generation}, Ready ({took.TotalSeconds:0} s)");

    public Task ShowAsync(IReadOnlyList<SlotStatus> rows, DateTimeOffset now) => _agents.ShowAsync(rows, now);

    private void Line(string line)
    {
        _agents.PrepareForLine();
        output.WriteLine(line);
    }
}
