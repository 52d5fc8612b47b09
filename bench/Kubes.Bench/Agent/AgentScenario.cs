using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Kubes.Bench.Reporting;
using Kubes.Controller.Agents;

namespace Kubes.Bench.Agent;

/// <summary>
/// kubes-agent binaries as an instance meets them: file size, wall time of <c>--version</c>, wall time from exec to the
/// agent's first log line, and resident memory after it has sat idle for a while. Idle here means joining a
/// coordinator that does not answer (a closed loopback port) and waiting out its backoff: the agent's steady
/// state before it has work, with no cluster needed.
/// </summary>
public static class AgentScenario
{
    public static readonly TimeSpan IdleFor = TimeSpan.FromSeconds(10);

    /// <returns>How many of the agents were there to measure.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> agents, int runs, TextWriter output, TimeSpan? idleFor = null)
    {
        var idleTime = idleFor ?? IdleFor;
        var measured = 0;
        var table = new MarkdownTable("agent", "kind", "size (bytes)", "--version median (ms)", "--version min–max (ms)",
            "first log line median (ms)", "first log line min–max (ms)", $"VmRSS after {idleTime.TotalSeconds:0} s idle (MB)");
        foreach (var agent in agents)
        {
            var path = Path.GetFullPath(agent);
            if (!File.Exists(path))
            {
                await output.WriteLineAsync($"{path}: missing; publish it first (see docs/benchmarks.md).");
                continue;
            }
            await VersionAsync(path); // warm-up: the page cache, not the agent, is measured otherwise
            var version = new List<double>();
            var firstLine = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                version.Add(await VersionAsync(path));
                firstLine.Add((await IdleAgent.StartAsync(path, TimeSpan.Zero)).FirstLogLine.TotalMilliseconds);
            }
            var idle = await IdleAgent.StartAsync(path, idleTime);
            measured++;
            var inspected = AgentExecutable.Inspect(path);
            table.Add(path, inspected.RunsWithoutDotNet ? "runs without .NET" : "needs .NET", new FileInfo(path).Length.ToString("N0", CultureInfo.InvariantCulture),
                Median(version), $"{version.Min():0.0}–{version.Max():0.0}", Median(firstLine), $"{firstLine.Min():0.0}–{firstLine.Max():0.0}",
                $"{idle.ResidentBytes / 1e6:0.0}");
        }
        await output.WriteLineAsync($"{runs} measured run(s) per agent after one warm-up.");
        await output.WriteLineAsync();
        await output.WriteLineAsync(table.ToString());
        return measured;
    }

    private static string Median(List<double> values) => $"{values.Order().ElementAt(values.Count / 2):0.0}";

    private static async Task<double> VersionAsync(string path)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo(path, "--version") { RedirectStandardOutput = true })!;
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{path} --version exited {process.ExitCode}");
        return clock.Elapsed.TotalMilliseconds;
    }

    private sealed record IdleAgent(TimeSpan FirstLogLine, long ResidentBytes)
    {
        /// <summary>Starts the agent on a configuration of its own, waits for its first log line, lets it sit for
        /// <paramref name="idle"/>, reads its VmRSS and stops it.</summary>
        public static async Task<IdleAgent> StartAsync(string path, TimeSpan idle)
        {
            var root = Directory.CreateTempSubdirectory("kubes-agent-bench-").FullName;
            try
            {
                var closed = ClosedLoopbackPort();
                var config = Path.Join(root, "agent.json");
                await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
                {
                    cluster = "bench", role = "etcd", slot = 0, joinToken = "unused", channel = "grpc",
                    coordinatorUrl = $"https://127.0.0.1:{closed}", coordinatorCaSha256 = "sha256:" + new string('0', 64), rootDir = root,
                }));
                var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true };
                start.ArgumentList.Add("--config");
                start.ArgumentList.Add(config);
                start.Environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = $"http://127.0.0.1:{closed}";
                var clock = Stopwatch.StartNew();
                using var process = Process.Start(start)!;
                try
                {
                    _ = process.StandardError.ReadToEndAsync();
                    var line = await process.StandardOutput.ReadLineAsync()
                               ?? throw new InvalidOperationException($"{path} wrote no log line");
                    var firstLine = clock.Elapsed;
                    _ = process.StandardOutput.ReadToEndAsync();
                    await Task.Delay(idle);
                    if (process.HasExited) throw new InvalidOperationException($"{path} stopped: {line}");
                    return new IdleAgent(firstLine, ResidentBytesOf(process.Id));
                }
                finally
                {
                    process.Kill();
                    await process.WaitForExitAsync();
                }
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        }

        /// <summary>/proc/PID/status reports "VmRSS:   19876 kB".</summary>
        private static long ResidentBytesOf(int pid)
        {
            var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }

        private static int ClosedLoopbackPort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
