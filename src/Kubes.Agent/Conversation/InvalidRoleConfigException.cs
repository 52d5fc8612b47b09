namespace Kubes.Agent.Conversation;

/// <summary>A role configuration the agent must not act on (damaged, or lacking what a component needs): reported, not retried.</summary>
public sealed class InvalidRoleConfigException(string message) : Exception(message);
