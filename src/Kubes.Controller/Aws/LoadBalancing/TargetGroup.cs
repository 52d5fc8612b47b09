using System.Xml.Linq;
using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Aws.LoadBalancing;

/// <summary>An ELBv2 target group; <see cref="TargetType"/> is <c>instance</c> or <c>ip</c>.</summary>
public sealed record TargetGroup(
    string Arn, string Name, string Protocol, int Port, string VpcId, string TargetType,
    TargetGroupHealthCheck HealthCheck, IReadOnlyList<string> LoadBalancerArns)
{
    internal static TargetGroup From(XElement group) => new(
        group.RequiredText("TargetGroupArn"),
        group.RequiredText("TargetGroupName"),
        group.Text("Protocol") ?? "",
        group.Int("Port") ?? 0,
        group.Text("VpcId") ?? "",
        group.Text("TargetType") ?? "",
        new TargetGroupHealthCheck
        {
            Protocol = group.Text("HealthCheckProtocol") ?? "",
            Port = group.Text("HealthCheckPort"),
            Path = group.Text("HealthCheckPath"),
            IntervalSeconds = group.Int("HealthCheckIntervalSeconds") ?? 0,
            HealthyThreshold = group.Int("HealthyThresholdCount") ?? 0,
            UnhealthyThreshold = group.Int("UnhealthyThresholdCount") ?? 0,
        },
        group.Strings("LoadBalancerArns"));
}
