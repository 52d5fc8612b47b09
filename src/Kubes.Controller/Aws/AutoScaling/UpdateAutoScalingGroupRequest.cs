namespace Kubes.Controller.Aws.AutoScaling;

/// <summary>Changes to a group; what is null stays as it is.</summary>
public sealed record UpdateAutoScalingGroupRequest(string Name)
{
    public LaunchTemplateReference? LaunchTemplate { get; init; }
    public int? MinSize { get; init; }
    public int? MaxSize { get; init; }
    public int? DesiredCapacity { get; init; }
    public IReadOnlyList<string>? SubnetIds { get; init; }
}
