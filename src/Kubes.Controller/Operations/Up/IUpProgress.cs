using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Operations.Up;

/// <summary>What <c>kubes up</c> tells the operator as it goes: every change it applies, the roll of its desired state, then
/// every agent as it reports.</summary>
public interface IUpProgress : IApplyProgress, IRollProgress
{
    /// <summary>The coordinator the instances reach runs, started by this run or found running.</summary>
    void CoordinatorReady(string coordinator);

    void Applying(string cluster, string where, string state);

    void Applied(Plan plan, ApplyResult result);

    /// <summary>What pinning the role artifacts did: one line per new pin, one per artifact still missing (with the command
    /// that provides it); none when every artifact was pinned before.</summary>
    void ArtifactsResolved(IReadOnlyList<string> lines);

    void FollowingAgents(string answeredBy, TimeSpan wait);

    /// <summary>Whether the add-on managers' binding (<see cref="AddonManagerGrant"/>) is in the cluster: null when it is,
    /// else why it could not be applied.</summary>
    void AddonManagersGranted(string? problem);

    /// <summary>Which pod network the controllers apply, or why none (<see cref="Components.Addons.Cni.PodNetwork.Line"/>).</summary>
    void PodNetworkResolved(string line);
}
