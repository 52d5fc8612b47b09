namespace Kubes.Controller.Operations.Access;

/// <summary>A way into the cluster cannot be opened now (no bastion, not joined yet, a profile unknown); the message says
/// what to do.</summary>
public sealed class AccessException(string message) : Exception(message);
