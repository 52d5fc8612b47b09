using System.Net;

namespace Kubes.Controller.Registrar;

/// <summary>Where a request came from, when the channel knows (gRPC does; the S3 mailbox does not).</summary>
public sealed record PeerInfo(IPAddress Address)
{
    /// <summary>The peer with IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) turned back into IPv4.</summary>
    public static PeerInfo From(IPAddress address) =>
        new(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
