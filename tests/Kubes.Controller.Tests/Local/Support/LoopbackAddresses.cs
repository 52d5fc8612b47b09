using System.Net;
using System.Net.Sockets;

namespace Kubes.Controller.Tests.Local.Support;

/// <summary>Loopback addresses to listen and connect on, and a port that is free on given addresses.</summary>
internal static class LoopbackAddresses
{
    /// <summary><paramref name="count"/> addresses 127.N.0.10, 127.N.16.10, … in one random 127.N.0.0/16.</summary>
    public static IPAddress[] Random(int count)
    {
        var n = System.Random.Shared.Next(1, 255);
        return [.. Enumerable.Range(0, count).Select(i => IPAddress.Parse($"127.{n}.{16 * i}.10"))];
    }

    public static int FreePortOn(params IPAddress[] addresses)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var first = new TcpListener(addresses[0], 0);
            first.Start();
            var port = ((IPEndPoint)first.LocalEndpoint).Port;
            if (addresses.Skip(1).All(a => IsFree(a, port))) return port;
        }
        throw new InvalidOperationException($"no port free on all of {string.Join(", ", (object[])addresses)}");
    }

    private static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var probe = new TcpListener(address, port);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
