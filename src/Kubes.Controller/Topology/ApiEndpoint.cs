using System.Net;

namespace Kubes.Controller.Topology;

/// <summary>
/// Where nodes, add-ons and operators reach the cluster's Kubernetes API: its highly available endpoint over every
/// controller (the network load balancer on AWS, HAProxy on the VPC's <c>.3</c> for the local provider), never one
/// controller's own address.
/// </summary>
/// <param name="Host">A DNS name (the load balancer's) or an IPv4 address.</param>
public sealed record ApiEndpoint(string Host, int Port)
{
    public Uri Url => new($"https://{Host}:{Port}");

    /// <summary>The host as an address, when it is one (the apiserver certificate then names it as an IP SAN).</summary>
    public IPAddress? Address => IPAddress.TryParse(Host, out var address) ? address : null;

    public override string ToString() => Url.ToString().TrimEnd('/');
}
