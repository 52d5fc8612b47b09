namespace Kubes.Controller.Aws.AutoScaling;

/// <summary>A group launching <see cref="LaunchTemplate"/> into <see cref="SubnetIds"/>; desired null means <see cref="MinSize"/>.</summary>
public sealed record CreateAutoScalingGroupRequest(
    string Name, LaunchTemplateReference LaunchTemplate, IReadOnlyList<string> SubnetIds, int MinSize, int MaxSize)
{
    public int? DesiredCapacity { get; init; }
    public IReadOnlyList<string> TargetGroupArns { get; init; } = [];
    public IReadOnlyList<AutoScalingTag> Tags { get; init; } = [];
    /// <summary><c>EC2</c> or <c>ELB</c>.</summary>
    public string HealthCheckType { get; init; } = "EC2";
    public int? HealthCheckGracePeriodSeconds { get; init; }
}
