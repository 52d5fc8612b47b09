using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.State;
using Kubes.Controller.Topology;
using Xunit.Abstractions;

namespace Kubes.Controller.Tests.EndToEnd;

/// <summary>
/// A change to a running local cluster: an etcd flag added to the spec, then <c>kubes up</c> rolls it across the members,
/// one at a time, while a client writes every 100 ms. Addresses come from the topology, never assumed.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RollingChangeTests : IDisposable
{
    private static readonly TimeSpan Slow = TimeSpan.FromMinutes(8);
    private const string Flag = "auto-compaction-retention";
    private readonly TempFolder _folder = new();
    private readonly string _spec;
    private readonly ClusterSpec _cluster;
    private readonly IReadOnlyList<InstanceSlot> _etcd;

    private readonly ITestOutputHelper _output;

    public RollingChangeTests(ITestOutputHelper output)
    {
        _output = output;
        var defaults = ClusterSpecDefaults.Local($"roll{Random.Shared.Next(1000, 9999)}");
        _cluster = defaults with
        {
            StateStore = Path.Join(_folder.Path, "state"),
            Bastion = defaults.Bastion with { Count = 0 },
            Controllers = defaults.Controllers with { Count = 1 },
            Nodes = defaults.Nodes with { Count = 1, Min = 1 },
        };
        _etcd = ClusterTopology.From(_cluster).SlotsOf(InstanceRole.Etcd).ToList();
        _spec = Path.Join(_folder.Path, "cluster.yaml");
        File.WriteAllText(_spec, ClusterSpecWriter.Write(_cluster));
        // Kubernetes' programs as an air-gapped operator provides them: here the test stand-ins.
        StandInImport.IntoAsync(_folder.Path, "-f", _spec).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        KubesProcess.RunAsync(_folder.Path, Slow, "destroy", "-f", _spec, "--yes").GetAwaiter().GetResult();
        _folder.Dispose();
    }

    private string Instance(string slot) => Path.Join(_folder.Path, "state", "instances", slot);
    private string Pki => Path.Join(Instance("controller-0"), "etc", "kubes", "pki");
    private static string Endpoint(InstanceSlot slot) => $"https://{slot.PrivateIp}:2379";

    [Fact]
    public async Task An_etcd_flag_added_to_the_spec_restarts_each_member_in_turn_with_the_cluster_healthy_between_and_no_acknowledged_write_lost()
    {
        var up = await KubesProcess.RunAsync(_folder.Path, Slow, "up", "-f", _spec, "--wait-minutes", "5");
        Assert.True(up.ExitCode == 0, up.ToString());
        var before = _etcd.ToDictionary(slot => slot.Name, slot => EtcdPid(slot)!.Value);

        using var gateway = new EtcdGateway(Pki, "apiserver-etcd-client");
        using var stop = new CancellationTokenSource();
        var watch = WatchMembersAsync(before, stop.Token);
        var health = ProbeClusterHealthAsync(stop.Token);
        var writes = WriteEvery100MsAsync(gateway, stop.Token);

        File.WriteAllText(_spec, ClusterSpecWriter.Write(_cluster with
        {
            Components = new Dictionary<string, ComponentSpec> { ["etcd"] = new() { ExtraArgs = new Dictionary<string, string> { [Flag] = "2h" } } },
        }));
        var roll = await KubesProcess.RunAsync(_folder.Path, Slow, "up", "-f", _spec, "--wait-minutes", "5");
        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        var (restarts, mostDown) = await watch;
        var healthy = await health;
        var (acknowledged, refused) = await writes;

        foreach (var restart in restarts)
            _output.WriteLine($"{restart.Member}: down {restart.Down:HH:mm:ss.fff}, back {restart.Back:HH:mm:ss.fff}");
        _output.WriteLine($"writes: {acknowledged.Count} acknowledged, {refused} not; cluster seen healthy {healthy.Count} times");
        Assert.True(roll.ExitCode == 0, roll.ToString());
        Assert.Contains($"Rolling generation 2 of the desired state across etcd, one member at a time: {string.Join(", ", _etcd.Select(s => s.Name))}",
            roll.Stdout);
        Assert.All(_etcd, slot => Assert.Contains($"  {slot.Name}: runs generation 2, Ready", roll.Stdout));

        // Each member restarted once, with the flag, in slot order; never two down at once; the whole cluster healthy
        // (etcdctl endpoint health --cluster) after each restart and before the next.
        Assert.Equal(_etcd.Select(s => s.Name), restarts.Select(r => r.Member));
        Assert.True(mostDown <= 1, $"{mostDown} members were down at once");
        foreach (var slot in _etcd)
        {
            var pid = EtcdPid(slot)!.Value;
            Assert.NotEqual(before[slot.Name], pid);
            Assert.Contains($"--{Flag}=2h", File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '));
        }
        for (var i = 0; i < restarts.Count; i++)
        {
            var (back, next) = (restarts[i].Back, i + 1 < restarts.Count ? restarts[i + 1].Down : DateTimeOffset.MaxValue);
            Assert.True(healthy.Any(at => at > back && at < next),
                $"the cluster was not seen healthy after {restarts[i].Member} came back at {back:O} and before the next went down at {next:O}");
        }

        // Every write etcd acknowledged during the roll is there.
        Assert.True(acknowledged.Count >= 300, $"only {acknowledged.Count} writes were acknowledged ({refused} not)");
        var stored = await gateway.KeysAsync(Endpoint(_etcd[0]), "roll/", CancellationToken.None);
        Assert.DoesNotContain(acknowledged, key => !stored.Contains(key));

        var status = await KubesProcess.RunAsync(_folder.Path, Slow, "status", "-f", _spec, "-o", "json");
        Assert.All(JsonDocument.Parse(status.Stdout).RootElement.EnumerateArray().Where(r => r.GetProperty("role").GetString() == "etcd"),
            row => Assert.Equal("Ready", row.GetProperty("phase").GetString()));
        var again = await KubesProcess.RunAsync(_folder.Path, Slow, "up", "-f", _spec, "--wait-minutes", "1");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.DoesNotContain("Rolling", again.Stdout);
        Assert.Equal(_etcd.Select(slot => EtcdPid(slot)), _etcd.Select(slot => (int?)restarts.Single(r => r.Member == slot.Name).Pid));
    }

    private int? EtcdPid(InstanceSlot slot)
    {
        try
        {
            return int.Parse(File.ReadAllText(Path.Join(Instance(slot.Name), "run", "kubes", "etcd.pid")).Trim());
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            return null;
        }
    }

    private sealed record Restart(string Member, DateTimeOffset Down, DateTimeOffset Back, int Pid);

    /// <summary>
    /// Every 100 ms, each member: its etcd process (by its pid file) and its client port. A member is down from the moment
    /// its first process is gone until a new one accepts connections. Returns each restart, in order, and the most members
    /// seen down at one time.
    /// </summary>
    private async Task<(List<Restart> Restarts, int MostDown)> WatchMembersAsync(IReadOnlyDictionary<string, int> first,
        CancellationToken cancellationToken)
    {
        var restarts = new List<Restart>();
        var down = new Dictionary<string, DateTimeOffset>();
        var mostDown = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = DateTimeOffset.UtcNow;
            foreach (var slot in _etcd)
            {
                var pid = EtcdPid(slot);
                var running = pid is { } p && Directory.Exists($"/proc/{p}");
                if (restarts.Any(r => r.Member == slot.Name)) continue;
                if (pid == first[slot.Name] && running) continue;
                if (!down.ContainsKey(slot.Name)) down[slot.Name] = now;
                if (running && await AcceptsAsync(slot)) restarts.Add(new Restart(slot.Name, down.Remove(slot.Name, out var since) ? since : now, now, pid!.Value));
            }
            mostDown = Math.Max(mostDown, down.Count);
            try
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }
        return (restarts, mostDown);
    }

    private static async Task<bool> AcceptsAsync(InstanceSlot slot)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        try
        {
            await socket.ConnectAsync(slot.PrivateIp!, 2379, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>When <c>etcdctl endpoint health --cluster</c> found every member healthy (the moment it was started).</summary>
    private async Task<List<DateTimeOffset>> ProbeClusterHealthAsync(CancellationToken cancellationToken)
    {
        var healthy = new List<DateTimeOffset>();
        while (!cancellationToken.IsCancellationRequested)
        {
            var at = DateTimeOffset.UtcNow;
            var probe = await EtcdCtl.RunAsync($"--endpoints={Endpoint(_etcd[0])}", $"--cacert={Pki}/apiserver-etcd-client-ca.crt",
                $"--cert={Pki}/apiserver-etcd-client.crt", $"--key={Pki}/apiserver-etcd-client.key", "endpoint", "health", "--cluster");
            if (probe.ExitCode == 0 && probe.Output.Split('\n').Count(l => l.Contains("is healthy")) == _etcd.Count) healthy.Add(at);
            try
            {
                await Task.Delay(500, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }
        return healthy;
    }

    /// <summary>A key every 100 ms, to one member after the other whenever one does not answer; the keys etcd acknowledged.</summary>
    private async Task<(List<string> Acknowledged, int Refused)> WriteEvery100MsAsync(EtcdGateway gateway, CancellationToken cancellationToken)
    {
        var acknowledged = new List<string>();
        var refused = 0;
        var member = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        for (var n = 0; !cancellationToken.IsCancellationRequested; n++)
        {
            var key = $"roll/{n:D6}";
            if (await gateway.PutAsync(Endpoint(_etcd[member]), key, DateTimeOffset.UtcNow.ToString("O"), CancellationToken.None)) acknowledged.Add(key);
            else (refused, member) = (refused + 1, (member + 1) % _etcd.Count);
            try
            {
                await timer.WaitForNextTickAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }
        return (acknowledged, refused);
    }
}
