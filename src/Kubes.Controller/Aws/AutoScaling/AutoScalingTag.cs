namespace Kubes.Controller.Aws.AutoScaling;

/// <summary>A tag of an Auto Scaling group; with <see cref="PropagateAtLaunch"/> the group puts it on every instance it launches.</summary>
public sealed record AutoScalingTag(string Key, string Value, bool PropagateAtLaunch);
