namespace Kubes.Agent.Conversation;

/// <summary>
/// Who this agent is to the coordinator once it has joined: its instance id and its credential, for the steps that
/// ask the coordinator something themselves (the SSH host certificate, made after the host key a step installs).
/// </summary>
public sealed class AgentSession
{
    private (string InstanceId, string Credential)? _joined;

    public void Joined(string instanceId, string credential) => _joined = (instanceId, credential);

    /// <exception cref="InvalidOperationException">Asked before the agent joined.</exception>
    public (string InstanceId, string Credential) Current =>
        _joined ?? throw new InvalidOperationException("the agent has not joined yet: no credential to talk to the coordinator with");
}
