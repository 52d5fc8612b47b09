namespace Kubes.Controller.Aws.LoadBalancing;

/// <summary>How a target group names its targets: by instance id or by IP address.</summary>
public enum TargetType { Instance, Ip }
