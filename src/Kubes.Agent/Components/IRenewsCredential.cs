using Kubes.Protos.V1;

namespace Kubes.Agent.Components;

/// <summary>
/// A component that holds a credential of its own which one of its steps renews (sshd's host certificate): the agent's
/// certificate timer runs the role's steps again once it is due, as it does when it renewed an X.509 certificate.
/// </summary>
public interface IRenewsCredential
{
    /// <summary>When the credential is due for renewal; null when there is none to renew (the steps will make it).</summary>
    DateTimeOffset? RenewalDue(RoleConfig config);
}
