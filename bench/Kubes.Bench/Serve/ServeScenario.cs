using System.Diagnostics;
using System.Net;
using Kubes.Bench.Reporting;
using Kubes.Controller.Channels;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Bench.Serve;

/// <summary>
/// <c>kubes serve</c> under a crowd: N agents (the etcd members, the rest nodes) start their conversation at the same
/// instant, each over its own TLS connection from its own 127.x.y.z address, against the registrar in this process
/// with a folder state store in a temporary directory and the real PKI.
/// </summary>
public static class ServeScenario
{
    private const int WarmUpAgents = 20;

    /// <summary><c>kubes serve</c>'s default --poll-seconds.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(int agents, int runs, string? stateRoot, TextWriter output)
    {
        var spec = Spec(agents);
        var topology = ClusterTopology.From(spec);
        using var pki = BenchPki.Create(topology);
        await output.WriteLineAsync($"{agents} agents ({spec.Etcd.Count} etcd, {agents - spec.Etcd.Count} nodes) in {spec.Network.VpcCidr}, " +
            $"PKI keys: {spec.Pki.KeyAlgorithm}, {runs} run(s) after a " +
            $"{WarmUpAgents}-agent warm-up.");

        var root = stateRoot ?? Path.GetTempPath();
        await output.WriteLineAsync($"State store: a new folder under {root} per run ({FileSystemOf(root)}).");
        await RunOnceAsync(topology, pki, WarmUpAgents, root);
        var table = new MarkdownTable("run", "call", "calls", "errors", "calls/s", "p50 ms", "p99 ms", "max ms");
        var summary = new MarkdownTable("run", "agents done", "wall s", "process CPU s", "joins/s", "certificates", "certificates/s",
            "Ready statuses");
        var errors = new List<string>();
        for (var run = 1; run <= runs; run++)
        {
            var result = await RunOnceAsync(topology, pki, agents, root);
            foreach (var (name, calls) in new[] { ("Join", result.Latencies.Join), ("Certify", result.Latencies.Certify), ("Report", result.Latencies.Report) })
            {
                table.Add(run, name, calls.Count, calls.Errors, $"{calls.PerSecond(calls.Count):0}", $"{calls.Percentile(50):0.0}",
                    $"{calls.Percentile(99):0.0}", $"{calls.Max():0.0}");
                errors.AddRange(calls.ErrorMessages.Take(3).Select(e => $"run {run} {name}: {e}"));
            }
            var certify = result.Latencies.Certify;
            summary.Add(run, result.Latencies.Report.Count, $"{result.Wall.TotalSeconds:0.00}", $"{result.Cpu.TotalSeconds:0.00}",
                $"{result.Latencies.Join.PerSecond(result.Latencies.Join.Count):0}", result.Latencies.CertificatesIssued,
                $"{certify.PerSecond(result.Latencies.CertificatesIssued):0}", result.Ready);
            await output.WriteLineAsync($"  run {run}: {result.Latencies.Report.Count}/{agents} agents done in {result.Wall.TotalSeconds:0.00} s");
        }
        await output.WriteLineAsync();
        await output.WriteLineAsync(summary.ToString());
        await output.WriteLineAsync(table.ToString());
        foreach (var error in errors.Distinct().Take(10)) await output.WriteLineAsync($"error: {error}");
    }

    /// <summary>The local provider's spec: every slot has a fixed loopback address an agent can bind to.</summary>
    public static ClusterSpec Spec(int agents)
    {
        var spec = ClusterSpecDefaults.Local("bench") with { AgentChannel = AgentChannel.Grpc };
        var nodes = Math.Max(SpecLimits.MinNodes, agents - spec.Etcd.Count);
        spec = spec with
        {
            Nodes = spec.Nodes with { Count = nodes, Min = Math.Min(spec.Nodes.Min, nodes), Max = Math.Max(spec.Nodes.Max, nodes) },
            // A /24 of pods per node.
            Network = spec.Network with { PodCidr = nodes <= 256 ? spec.Network.PodCidr : "10.200.0.0/14" },
        };
        var problems = SpecValidator.Validate(spec);
        return problems.Count == 0 ? spec : throw new InvalidOperationException("the bench spec is invalid: " + string.Join("; ", problems));
    }

    private static async Task<RunResult> RunOnceAsync(ClusterTopology topology, BenchPki pki, int agents, string stateRoot)
    {
        var folder = Directory.CreateDirectory(Path.Combine(stateRoot, $"kubes-bench-serve-{Guid.NewGuid():N}"));
        try
        {
            var store = new FolderStateStore(folder.FullName);
            var slots = topology.SlotsOf(InstanceRole.Etcd).Concat(topology.SlotsOf(InstanceRole.Node)).Take(agents);
            var instances = new LaunchedInstances(topology.Spec.Name, slots);
            var tokens = new JoinTokenStore(store, topology.Spec.Name);
            // As kubes serve hosts it: gRPC over TLS, the mailbox answerer and the status refresh, the product's role configs.
            await using var registrar = await RegistrarHost.StartAsync(new RegistrarHostOptions(topology, store, instances, pki.Issuer)
            {
                GrpcListen = new IPEndPoint(IPAddress.Loopback, 0),
                ServingCertificate = () => pki.ServingCertificate,
                PollInterval = PollInterval,
            });

            var crowd = new List<SimulatedAgent>();
            foreach (var (instanceId, slot) in instances.Launched)
            {
                var token = await tokens.IssueForSlotAsync(slot.Role, slot.Index, TimeSpan.FromHours(1));
                crowd.Add(new SimulatedAgent(topology.Spec.Name, instanceId, slot, token, registrar.GrpcAddress!, pki.CoordinatorCa));
            }
            var latencies = new ConversationLatencies();
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var running = crowd.Select(agent => Task.Run(async () =>
            {
                await go.Task;
                await agent.RunAsync(latencies);
            })).ToList();
            // Agents and registrar share this process and its cores: CPU near cores × wall means the run was CPU-bound.
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            go.SetResult();
            await Task.WhenAll(running);
            clock.Stop();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            foreach (var agent in crowd) agent.Dispose();
            var ready = registrar.Status.Snapshot().Count(s => s.LastReport?.Phase == Phase.Ready);
            return new RunResult(latencies, clock.Elapsed, cpu, ready);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The file system type of the folder, from /proc/mounts: fsync on tmpfs costs nothing, on a disk it does.</summary>
    private static string FileSystemOf(string folder)
    {
        var full = Path.GetFullPath(folder);
        try
        {
            return File.ReadLines("/proc/mounts")
                .Select(line => line.Split(' '))
                .Where(fields => fields.Length > 2 && full.StartsWith(fields[1], StringComparison.Ordinal))
                .MaxBy(fields => fields[1].Length) is { } mount ? $"{mount[2]} at {mount[1]}" : "unknown file system";
        }
        catch (IOException)
        {
            return "unknown file system";
        }
    }

    private sealed record RunResult(ConversationLatencies Latencies, TimeSpan Wall, TimeSpan Cpu, int Ready);
}
