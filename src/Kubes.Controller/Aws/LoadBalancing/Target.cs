namespace Kubes.Controller.Aws.LoadBalancing;

/// <summary>An instance id or IP address in a target group; <see cref="Port"/> null means the group's port.</summary>
public sealed record Target(string Id, int? Port = null);
