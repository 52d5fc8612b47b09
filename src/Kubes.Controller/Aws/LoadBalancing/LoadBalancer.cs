using System.Xml.Linq;
using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Aws.LoadBalancing;

/// <summary>An ELBv2 load balancer; <see cref="State"/> is <c>provisioning</c>, <c>active</c>, <c>active_impaired</c> or <c>failed</c>.</summary>
public sealed record LoadBalancer(
    string Arn, string Name, string DnsName, string Type, string Scheme, string VpcId, string State,
    IReadOnlyList<string> SubnetIds, IReadOnlyList<string> Zones, string? CanonicalHostedZoneId)
{
    internal static LoadBalancer From(XElement loadBalancer)
    {
        var zones = loadBalancer.Members("AvailabilityZones").ToList();
        return new LoadBalancer(
            loadBalancer.RequiredText("LoadBalancerArn"),
            loadBalancer.RequiredText("LoadBalancerName"),
            loadBalancer.Text("DNSName") ?? "",
            loadBalancer.Text("Type") ?? "",
            loadBalancer.Text("Scheme") ?? "",
            loadBalancer.Text("VpcId") ?? "",
            loadBalancer.Child("State")?.Text("Code") ?? "",
            [.. zones.Select(zone => zone.Text("SubnetId")).OfType<string>()],
            [.. zones.Select(zone => zone.Text("ZoneName")).OfType<string>()],
            loadBalancer.Text("CanonicalHostedZoneId"));
    }
}
