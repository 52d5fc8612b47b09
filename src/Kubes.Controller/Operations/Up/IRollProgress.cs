namespace Kubes.Controller.Operations.Up;

/// <summary>What the roll of a new generation of the desired state tells the operator as it goes, besides the agents' table.</summary>
public interface IRollProgress : IAgentStatusView
{
    /// <summary>A member goes on <paramref name="generation"/> at once, and why it can (its agent has not joined, its
    /// configuration does not change).</summary>
    void RollAssigned(string member, int generation, string why);

    /// <summary>These members of <paramref name="role"/> change, one at a time, in this order.</summary>
    void RollStarting(int generation, string role, IReadOnlyList<string> members);

    /// <summary>What the roll waits for now, for <paramref name="member"/>; called each time that changes.</summary>
    void RollWaiting(string member, string what);

    /// <summary><paramref name="member"/> runs <paramref name="generation"/> and its role is healthy again.</summary>
    void RollMemberDone(string member, int generation, TimeSpan took);
}
