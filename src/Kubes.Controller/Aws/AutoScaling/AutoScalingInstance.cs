using System.Xml.Linq;
using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Aws.AutoScaling;

/// <summary>
/// An instance of a group: <see cref="LifecycleState"/> is e.g. <c>Pending</c>, <c>InService</c>, <c>Terminating</c>;
/// <see cref="HealthStatus"/> <c>Healthy</c> or <c>Unhealthy</c>.
/// </summary>
public sealed record AutoScalingInstance(string InstanceId, string Zone, string LifecycleState, string HealthStatus, string? LaunchTemplateVersion)
{
    internal static AutoScalingInstance From(XElement instance) => new(
        instance.RequiredText("InstanceId"),
        instance.Text("AvailabilityZone") ?? "",
        instance.Text("LifecycleState") ?? "",
        instance.Text("HealthStatus") ?? "",
        instance.Child("LaunchTemplate")?.Text("Version"));
}
