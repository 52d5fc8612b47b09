using System.Net;
using Kubes.Controller.Networking;

namespace Kubes.Controller.Topology;

/// <summary>
/// The addresses at the start of the VPC that no slot ever takes (slots start at offset 10 of their subnet), named for
/// what sits there. AWS keeps them in every subnet: .1 for its router, .2 for its DNS resolver, .3 for future use. The
/// local provider, whose VPC is a bridge on this machine, puts on the host's side of that bridge what AWS has there:
/// its coordinator and the instances' metadata service on the router's address, and the cluster's HA endpoint of the
/// API (its HAProxy, where AWS has a load balancer) on the address AWS keeps for future use; the resolver's stays free
/// for a resolver.
/// </summary>
public sealed record ReservedAddresses(IPAddress Router, IPAddress Resolver, IPAddress ApiEndpoint)
{
    public const uint RouterOffset = 1;
    public const uint ResolverOffset = 2;
    public const uint ApiEndpointOffset = 3;

    public static ReservedAddresses Of(Cidr vpc) =>
        new(vpc.AddressAt(RouterOffset), vpc.AddressAt(ResolverOffset), vpc.AddressAt(ApiEndpointOffset));
}
