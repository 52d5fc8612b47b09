using System.Net;
using System.Net.Sockets;

namespace Kubes.Agent.Tests.Support;

public static class FreePort
{
    /// <summary>A TCP port nobody listens on at each of the addresses right now.</summary>
    public static int On(params IPAddress[] addresses)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var probe = new TcpListener(addresses[0], 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            if (addresses.Skip(1).All(a => IsFree(a, port)))
            {
                return port;
            }
        }

        throw new InvalidOperationException("no free port found");
    }

    public static int OnLoopback() => On(IPAddress.Loopback);

    private static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Three distinct loopback addresses in a /24 chosen at random, so parallel runs rarely meet.</summary>
    public static IPAddress[] LoopbackAddresses(int count)
    {
        var block = Random.Shared.Next(2, 250);
        var middle = Random.Shared.Next(2, 250);
        return Enumerable.Range(1, count).Select(i => IPAddress.Parse($"127.{middle}.{block}.{i}")).ToArray();
    }
}
