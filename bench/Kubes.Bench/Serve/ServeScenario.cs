using System.Diagnostics;
using System.Net;
using Kubes.Bench.Reporting;
using Kubes.Controller.Channels;
using Kubes.Controller.Cli.Commands;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Bench.Serve;

/// <summary>How many agents, how fast they arrive, where the state goes.</summary>
/// <param name="AgentsPerSecond">Agents starting per second; 0 starts them all at the same instant.</param>
public sealed record ServeOptions(int Agents, int Runs, double AgentsPerSecond = 0, string? StateRoot = null, int WarmUpAgents = 20);

/// <summary>One measured run: what the crowd saw, the coordinator's CPU and the statuses it holds.</summary>
public sealed record ServeRun(CrowdResult Crowd, TimeSpan CoordinatorCpu, int Ready, long LogBytes);

/// <summary>
/// <c>kubes serve</c> under a crowd: N agents (the etcd members, the rest nodes), each over its own TLS connection from
/// its own 127.x.y.z address, against the registrar hosted in this process as <c>kubes serve</c> hosts it (gRPC, status
/// refresh, its log written as serve writes it), over a folder state store and the real PKI. The agents run in a
/// process of their own, so the coordinator's CPU is measured alone.
/// </summary>
public static class ServeScenario
{
    /// <summary><c>kubes serve</c>'s default --poll-seconds.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    public static async Task<IReadOnlyList<ServeRun>> RunAsync(ServeOptions options, TextWriter output)
    {
        var spec = Spec(options.Agents + options.WarmUpAgents);
        var topology = ClusterTopology.From(spec);
        using var pki = BenchPki.Create(topology);
        var arrival = options.AgentsPerSecond > 0 ? $"arriving at {options.AgentsPerSecond:0.#} per second" : "all starting at the same instant";
        await output.WriteLineAsync($"{options.Agents} agents ({spec.Etcd.Count} etcd, the rest nodes) in {spec.Network.VpcCidr}, {arrival}, " +
            $"PKI keys: {spec.Pki.KeyAlgorithm}, {options.Runs} run(s), each after a {options.WarmUpAgents}-agent warm-up.");
        var root = options.StateRoot ?? Path.GetTempPath();
        await output.WriteLineAsync($"State store: a new folder under {root} per run ({FileSystemOf(root)}).");

        var runs = new List<ServeRun>();
        for (var run = 1; run <= options.Runs; run++)
        {
            var result = await RunOnceAsync(topology, pki, options, root);
            runs.Add(result);
            await output.WriteLineAsync($"  run {run}: {result.Crowd.Report.Count}/{options.Agents} agents done in {result.Crowd.WallSeconds:0.00} s");
        }
        await output.WriteLineAsync();
        await output.WriteLineAsync(Tables(runs));
        return runs;
    }

    private static string Tables(IReadOnlyList<ServeRun> runs)
    {
        var summary = new MarkdownTable("run", "agents done", "wall s", "coordinator CPU s", "crowd CPU s", "joins + certify calls /s",
            "joins + certificates /s", "certificates", "certificates/s", "Ready statuses", "log bytes");
        var calls = new MarkdownTable("run", "call", "calls", "errors", "calls/s", "p50 ms", "p99 ms", "max ms");
        var errors = new List<string>();
        foreach (var (result, run) in runs.Select((r, i) => (r, i + 1)))
        {
            var crowd = result.Crowd;
            summary.Add(run, crowd.Report.Count, $"{crowd.WallSeconds:0.00}", $"{result.CoordinatorCpu.TotalSeconds:0.00}",
                $"{crowd.CrowdCpuSeconds:0.00}", $"{(crowd.Join.Count + crowd.Certify.Count) / crowd.WallSeconds:0}",
                $"{(crowd.Join.Count + crowd.CertificatesIssued) / crowd.WallSeconds:0}", crowd.CertificatesIssued, $"{crowd.CertificatesIssued / Math.Max(crowd.Certify.WindowSeconds, 1e-9):0}", result.Ready,
                result.LogBytes);
            foreach (var (name, call) in new[] { ("Join", crowd.Join), ("Certify", crowd.Certify), ("Report", crowd.Report) })
            {
                calls.Add(run, name, call.Count, call.Errors.Count, $"{call.PerSecond:0}", $"{call.Percentile(50):0.0}",
                    $"{call.Percentile(99):0.0}", $"{call.Max:0.0}");
                errors.AddRange(call.Errors.Take(3).Select(e => $"run {run} {name}: {e}"));
            }
        }
        return summary + "\n" + calls + string.Concat(errors.Distinct().Take(10).Select(e => $"\nerror: {e}"));
    }

    /// <summary>
    /// The local provider's spec, validated, with its VPC then moved onto loopback (127.183.0.0/16): every slot has a fixed
    /// address a simulated agent in this process can bind to without a network namespace of its own.
    /// </summary>
    public static ClusterSpec Spec(int agents)
    {
        var spec = ClusterSpecDefaults.Local("bench") with { AgentChannel = AgentChannel.Grpc };
        var nodes = Math.Clamp(agents - spec.Etcd.Count, SpecLimits.MinNodes, SpecLimits.MaxNodes);
        // A /24 of pods per node.
        var podPrefix = 24 - (int)Math.Ceiling(Math.Log2(Math.Max(nodes, 1)));
        spec = spec with
        {
            Nodes = spec.Nodes with { Count = nodes, Min = Math.Min(spec.Nodes.Min, nodes), Max = Math.Max(spec.Nodes.Max, nodes) },
            Network = spec.Network with { PodCidr = nodes <= 256 ? spec.Network.PodCidr : $"10.128.0.0/{podPrefix}" },
        };
        var problems = SpecValidator.Validate(spec);
        return problems.Count == 0
            ? spec with { Network = spec.Network with { VpcCidr = "127.183.0.0/16" } }
            : throw new InvalidOperationException("the bench spec is invalid: " + string.Join("; ", problems));
    }

    private static async Task<ServeRun> RunOnceAsync(ClusterTopology topology, BenchPki pki, ServeOptions options, string stateRoot)
    {
        var folder = Directory.CreateDirectory(Path.Combine(stateRoot, $"kubes-bench-serve-{Guid.NewGuid():N}"));
        try
        {
            var store = new FolderStateStore(folder.FullName);
            var slots = topology.SlotsOf(InstanceRole.Etcd).Concat(topology.SlotsOf(InstanceRole.Node))
                .Take(options.Agents + options.WarmUpAgents);
            var instances = new LaunchedInstances(topology.Spec.Name, slots);
            var tokens = new JoinTokenStore(store, topology.Spec.Name);
            var logFile = Path.Join(folder.FullName, "serve.log");
            using var loggers = ServeLog.Create(logFile);
            await using var registrar = await RegistrarHost.StartAsync(new RegistrarHostOptions(topology, store, instances, pki.Issuer)
            {
                GrpcListen = new IPEndPoint(IPAddress.Loopback, 0),
                ServingCertificate = () => pki.ServingCertificate,
                WatcherCa = pki.CoordinatorCa,
                PollInterval = PollInterval,
                Loggers = loggers,
            });

            var agents = new List<CrowdAgent>();
            foreach (var (instanceId, slot) in instances.Launched)
            {
                var token = await tokens.IssueForSlotAsync(slot.Role, slot.Index, TimeSpan.FromHours(1));
                agents.Add(new CrowdAgent(topology.Spec.Name, instanceId, slot.PrivateIp!.ToString(), slot.Zone.Zone, (int)slot.Role.ToProto(),
                    slot.Index, token));
            }
            // The warm-up agents are the last nodes; the measured ones include the etcd members.
            var plan = new CrowdPlan(registrar.GrpcAddress!.ToString(), pki.CoordinatorCa.ExportCertificatePem(), options.AgentsPerSecond,
                agents[options.Agents..], agents[..options.Agents]);
            using var crowd = await CrowdProcess.StartAsync(plan);
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var result = await crowd.RunAsync();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var measured = plan.Measured.Select(a => a.InstanceId).ToHashSet();
            var ready = registrar.Status.Snapshot().Count(s => measured.Contains(s.InstanceId) && s.LastReport?.Phase == Phase.Ready);
            return new ServeRun(result, cpu, ready, LogBytes(folder.FullName));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static long LogBytes(string folder) =>
        Directory.EnumerateFiles(folder, "serve*.log").Sum(file => new FileInfo(file).Length);

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
}
