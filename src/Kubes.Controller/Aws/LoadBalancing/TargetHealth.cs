using System.Xml.Linq;
using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Aws.LoadBalancing;

/// <summary>
/// A target's health: <see cref="State"/> is <c>initial</c>, <c>healthy</c>, <c>unhealthy</c>, <c>unused</c>,
/// <c>draining</c> or <c>unavailable</c>; <see cref="Reason"/> and <see cref="Description"/> say why when not healthy.
/// </summary>
public sealed record TargetHealth(Target Target, string State, string? Reason, string? Description)
{
    internal static TargetHealth From(XElement description)
    {
        var target = description.Child("Target");
        var health = description.Child("TargetHealth");
        return new TargetHealth(
            new Target(target?.RequiredText("Id") ?? "", target?.Int("Port")),
            health?.Text("State") ?? "",
            health?.Text("Reason"),
            health?.Text("Description"));
    }
}
