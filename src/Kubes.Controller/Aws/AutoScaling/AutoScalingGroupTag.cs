namespace Kubes.Controller.Aws.AutoScaling;

/// <summary>A tag as <c>DescribeTags</c> reports it: with the group that carries it.</summary>
public sealed record AutoScalingGroupTag(string GroupName, AutoScalingTag Tag);
