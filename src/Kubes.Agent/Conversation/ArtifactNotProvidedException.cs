namespace Kubes.Agent.Conversation;

/// <summary>
/// The role configuration names no copy of a program a component needs: the coordinator had none pinned when it made it
/// (no network to read the upstream checksum, nothing imported yet). Not permanent: once the operator provides the file
/// ('kubes artifacts import', then 'kubes up'), the coordinator's next configuration names it, so the agent asks for a
/// fresh one and retries after its failure backoff.
/// </summary>
public sealed class ArtifactNotProvidedException(string message) : Exception(message);
