using System.Xml.Linq;
using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Aws.AutoScaling;

/// <summary>An Auto Scaling group; <see cref="Status"/> is set only while AWS deletes it (<c>Delete in progress</c>).</summary>
public sealed record AutoScalingGroup(
    string Name, string? Arn, LaunchTemplateReference? LaunchTemplate, int MinSize, int MaxSize, int DesiredCapacity,
    IReadOnlyList<string> SubnetIds, IReadOnlyList<string> TargetGroupArns, IReadOnlyList<AutoScalingInstance> Instances,
    IReadOnlyList<AutoScalingTag> Tags, string? Status)
{
    internal static AutoScalingGroup From(XElement group)
    {
        var template = group.Child("LaunchTemplate");
        return new AutoScalingGroup(
            group.RequiredText("AutoScalingGroupName"),
            group.Text("AutoScalingGroupARN"),
            template is null ? null : new LaunchTemplateReference(template.Text("LaunchTemplateId") ?? "", template.Text("Version") ?? ""),
            group.Int("MinSize") ?? 0,
            group.Int("MaxSize") ?? 0,
            group.Int("DesiredCapacity") ?? 0,
            (group.Text("VPCZoneIdentifier") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            group.Strings("TargetGroupARNs"),
            [.. group.Members("Instances").Select(AutoScalingInstance.From)],
            [.. group.Members("Tags").Select(AutoScalingClient.TagFrom)],
            group.Text("Status"));
    }
}
