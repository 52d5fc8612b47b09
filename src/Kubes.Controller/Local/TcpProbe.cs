using System.Net;
using System.Net.Sockets;

namespace Kubes.Controller.Local;

/// <summary>How the local provider waits for a daemon it started: until it accepts connections, showing its log when not.</summary>
internal static class TcpProbe
{
    /// <summary>Whether <paramref name="endpoint"/> accepts a TCP connection within a second.</summary>
    public static async Task<bool> AcceptsAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(1));
            await socket.ConnectAsync(endpoint, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The last lines of a log, for an error message.</summary>
    public static string Tail(string file) =>
        File.Exists(file) ? string.Join('\n', File.ReadLines(file).TakeLast(20)) : "(no log)";
}
