using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Kubes.Bench.LocalUp;

/// <summary>
/// This machine's etcd as three plain members on 127.0.0.1 (no TLS, no kubes): the floor a local etcd tier cannot
/// beat. Timed from starting the processes to every member answering /health with true.
/// </summary>
public static class BareEtcd
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    public static async Task<TimeSpan> TimeToHealthyAsync()
    {
        var folder = Directory.CreateTempSubdirectory("kubes-bench-etcd-").FullName;
        var members = Enumerable.Range(0, 3).Select(i => (Name: $"m{i}", Client: FreePort(), Peer: FreePort())).ToList();
        var cluster = string.Join(',', members.Select(m => $"{m.Name}=http://127.0.0.1:{m.Peer}"));
        var processes = new List<Process>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            var clock = Stopwatch.StartNew();
            foreach (var member in members)
            {
                var start = new ProcessStartInfo("etcd") { RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var argument in (string[])[
                    "--name", member.Name, "--data-dir", Path.Join(folder, member.Name),
                    "--listen-client-urls", $"http://127.0.0.1:{member.Client}", "--advertise-client-urls", $"http://127.0.0.1:{member.Client}",
                    "--listen-peer-urls", $"http://127.0.0.1:{member.Peer}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{member.Peer}",
                    "--initial-cluster", cluster, "--initial-cluster-state", "new", "--initial-cluster-token", "kubes-bench"])
                    start.ArgumentList.Add(argument);
                var process = Process.Start(start) ?? throw new InvalidOperationException("etcd did not start; is etcd-server installed?");
                process.OutputDataReceived += (_, _) => { };
                process.ErrorDataReceived += (_, _) => { };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                processes.Add(process);
            }
            while (!(await Task.WhenAll(members.Select(m => HealthyAsync(http, m.Client)))).All(healthy => healthy))
            {
                if (clock.Elapsed > Limit) throw new TimeoutException($"bare etcd was not healthy within {Limit}");
                await Task.Delay(20);
            }
            return clock.Elapsed;
        }
        finally
        {
            foreach (var process in processes)
            {
                if (!process.HasExited) process.Kill();
                await process.WaitForExitAsync();
                process.Dispose();
            }
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<bool> HealthyAsync(HttpClient http, int port)
    {
        try
        {
            return (await http.GetStringAsync($"http://127.0.0.1:{port}/health")).Contains("\"true\"", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
