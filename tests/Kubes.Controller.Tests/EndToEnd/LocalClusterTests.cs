using System.Text.Json;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Local.Support;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.EndToEnd;

/// <summary>
/// From <c>kubes up</c> to a healthy TLS etcd tier on the local provider: the real kubes executable, the real
/// user-data script, the real agent and Debian's etcd; then the faults an operator meets, and a clean destroy.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class LocalClusterTests : IDisposable
{
    private static readonly TimeSpan Slow = TimeSpan.FromMinutes(6);
    private readonly TempFolder _folder = new();
    private readonly string _spec;
    private readonly ClusterSpec _cluster;

    public LocalClusterTests()
    {
        var name = $"e2e{Random.Shared.Next(1000, 9999)}";
        var defaults = ClusterSpecDefaults.Local(name);
        _cluster = defaults with
        {
            StateStore = Path.Join(_folder.Path, "state"),
            Bastion = defaults.Bastion with { Count = 0 },
            Controllers = defaults.Controllers with { Count = 1 },
            Nodes = defaults.Nodes with { Count = 1, Min = 1 },
        };
        _spec = Path.Join(_folder.Path, "cluster.yaml");
        File.WriteAllText(_spec, ClusterSpecWriter.Write(_cluster));
        // Kubernetes' programs as an air-gapped operator provides them: here the test stand-ins.
        StandInImport.IntoAsync(_folder.Path, "-f", _spec).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        // Whatever a failed assertion left running goes with the cluster.
        KubesProcess.RunAsync(_folder.Path, Slow, "destroy", "-f", _spec, "--yes").GetAwaiter().GetResult();
        _folder.Dispose();
    }

    private string Pki(string slot) => Path.Join(_folder.Path, "state", "instances", slot, "etc", "kubes", "pki");

    private string[] EtcdClient(string endpoint)
    {
        var pki = Pki("controller-0");
        return
        [
            $"--endpoints={endpoint}", $"--cacert={pki}/apiserver-etcd-client-ca.crt",
            $"--cert={pki}/apiserver-etcd-client.crt", $"--key={pki}/apiserver-etcd-client.key",
        ];
    }

    private string EtcdEndpoint(int slot) =>
        $"https://{Kubes.Controller.Topology.ClusterTopology.From(_cluster).SlotsOf(Kubes.Controller.Topology.InstanceRole.Etcd).ElementAt(slot).PrivateIp}:2379";

    [Fact]
    public async Task Up_forms_a_tls_etcd_cluster_that_refuses_clients_without_a_certificate_and_destroy_removes_everything()
    {
        var up = await KubesProcess.RunAsync(_folder.Path, Slow, "up", "-f", _spec, "--wait-minutes", "5");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains("etcd tier healthy: 3 of 3 members Ready.", up.Stdout);
        Assert.DoesNotContain("not installed", up.Stdout);

        var health = await EtcdCtl.RunAsync([.. EtcdClient(EtcdEndpoint(0)), "endpoint", "health", "--cluster"]);
        Assert.True(health.ExitCode == 0, health.Output);
        Assert.Equal(3, health.Output.Split('\n').Count(l => l.Contains("is healthy")));

        var anonymous = await EtcdCtl.RunAsync($"--endpoints={EtcdEndpoint(0)}", $"--cacert={Pki("controller-0")}/apiserver-etcd-client-ca.crt",
            "put", "k", "v");
        Assert.NotEqual(0, anonymous.ExitCode);

        var status = await KubesProcess.RunAsync(_folder.Path, Slow, "status", "-f", _spec, "-o", "json");
        Assert.True(status.ExitCode == 0, status.ToString());
        var rows = JsonDocument.Parse(status.Stdout).RootElement.EnumerateArray().ToList();
        Assert.All(rows.Where(r => r.GetProperty("role").GetString() == "etcd"), r => Assert.Equal("Ready", r.GetProperty("phase").GetString()));
        Assert.All(rows.Where(r => r.GetProperty("role").GetString() is "etcd" or "node"),
            r => Assert.Equal("Ready", r.GetProperty("phase").GetString()));
        // The controller runs the control plane: the stand-ins imported, as an air-gapped operator imports the real programs.
        Assert.All(rows.Where(r => r.GetProperty("role").GetString() == "controller"),
            r => Assert.Equal("Ready", r.GetProperty("phase").GetString()));

        var again = await KubesProcess.RunAsync(_folder.Path, Slow, "up", "-f", _spec, "--wait-minutes", "1");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Infrastructure: nothing to change.", again.Stdout);

        var destroy = await KubesProcess.RunAsync(_folder.Path, Slow, "destroy", "-f", _spec, "--yes");
        Assert.True(destroy.ExitCode == 0, destroy.ToString());
        Assert.False(Directory.Exists(Path.Join(_folder.Path, "state")));
        Assert.Empty(ProcessesUnder(_folder.Path));
        Assert.Empty(await NetworkTraces.OfAsync(_cluster.Name, _cluster.StateStore,
            Kubes.Controller.Networking.Cidr.Parse(_cluster.Network.VpcCidr)));
    }

    [Fact]
    public async Task A_stopped_etcd_member_degrades_its_slot_while_writes_continue_then_a_kill_restarts_it_to_ready()
    {
        var up = await KubesProcess.RunAsync(_folder.Path, Slow, "up", "-f", _spec, "--wait-minutes", "5");
        Assert.True(up.ExitCode == 0, up.ToString());
        var member = Assert.Single(ProcessesUnder(Path.Join(_folder.Path, "state", "instances", "etcd-1", "usr", "local", "bin", "etcd")));

        Signal(member, "STOP");
        // If the stopped member led, the other two elect a new leader first (about a second); then writes go on.
        var put = await EtcdCtl.RunAsync([.. EtcdClient(EtcdEndpoint(0)), "put", "fault", "tolerated"]);
        for (var attempt = 0; attempt < 5 && put.ExitCode != 0; attempt++)
            put = await EtcdCtl.RunAsync([.. EtcdClient(EtcdEndpoint(0)), "put", "fault", "tolerated"]);
        Assert.True(put.ExitCode == 0, $"a write with one member down must succeed: {put.Output}");
        await WaitForPhaseAsync("etcd-1", "Degraded");

        Signal(member, "KILL");
        await WaitForPhaseAsync("etcd-1", "Ready");
        var get = await EtcdCtl.RunAsync([.. EtcdClient(EtcdEndpoint(1)), "get", "fault", "--print-value-only"]);
        Assert.True(get.ExitCode == 0, get.Output);
        Assert.Equal("tolerated", get.Output.Trim());
    }

    [Fact]
    public async Task An_agent_killed_in_the_middle_of_its_install_resumes_from_its_journal_and_converges()
    {
        var launch = KubesProcess.RunAsync(_folder.Path, Slow, "up", "-f", _spec, "--wait-minutes", "0");
        var journal = Path.Join(Instance("etcd-2"), "var", "lib", "kubes-agent", "journal.json");
        await WaitUntilAsync(() => JournaledSteps(journal).Count > 0, "etcd-2 journals its first step");
        Signal(Assert.Single(AgentProcesses("etcd-2")), "KILL");
        // What the killed agent had done: its journal is only written between steps.
        var done = JournaledSteps(journal);
        var launched = await launch;
        Assert.True(launched.ExitCode == 0, launched.ToString());

        var up = await KubesProcess.RunAsync(_folder.Path, Slow, "up", "-f", _spec, "--wait-minutes", "5");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains("etcd tier healthy: 3 of 3 members Ready.", up.Stdout);

        var log = File.ReadAllLines(Path.Join(Instance("etcd-2"), "var", "log", "kubes-agent.log"));
        var restarted = Array.FindIndex(log, l => l.StartsWith("kubes-agent exited with 137", StringComparison.Ordinal));
        Assert.True(restarted >= 0, "the supervisor never saw the agent killed:\n" + string.Join('\n', log));
        var after = log.Skip(restarted + 1).Select(AgentLogLine.Parse).OfType<AgentLogLine>().ToList();
        Assert.Contains(after, l => l.Template.StartsWith("Resuming as {Name}", StringComparison.Ordinal));
        Assert.All(done, step =>
        {
            Assert.Contains(after, l => l.Step == step && l.Template == "Step {Step} is done (journal and actual state agree)");
            Assert.DoesNotContain(after, l => l.Step == step && l.Template.StartsWith("Step {Step}: applying", StringComparison.Ordinal));
        });
        // The kill came in the middle: the restarted agent still had steps to apply.
        Assert.Contains(after, l => l.Template.StartsWith("Step {Step}: applying", StringComparison.Ordinal));
        var health = await EtcdCtl.RunAsync([.. EtcdClient(EtcdEndpoint(2)), "endpoint", "health", "--cluster"]);
        Assert.True(health.ExitCode == 0, health.Output);
    }

    [Fact]
    public async Task Up_run_again_while_an_agent_is_between_its_join_and_its_download_leaves_it_a_file_it_can_verify()
    {
        var launched = await KubesProcess.RunAsync(_folder.Path, Slow, "up", "-f", _spec, "--wait-minutes", "0");
        Assert.True(launched.ExitCode == 0, launched.ToString());
        var state = Path.Join(Instance("etcd-2"), "var", "lib", "kubes-agent");
        await WaitUntilAsync(() => File.Exists(Path.Join(state, "joined.pb")), "etcd-2 joins");
        // Put etcd-2's agent back between its join and its download, deterministically: frozen, holding the digest
        // its join gave it, with neither the downloaded file nor the journal of what followed.
        var agent = Assert.Single(AgentProcesses("etcd-2"));
        Signal(agent, "STOP");
        var index = Path.Join(_folder.Path, "state", "artifacts", "index.json");
        var mirrored = File.ReadAllText(index);
        try
        {
            File.Delete(Path.Join(state, "journal.json"));
            if (Directory.Exists(Path.Join(state, "artifacts"))) Directory.Delete(Path.Join(state, "artifacts"), recursive: true);

            // The second up packs this machine's etcd again while the agent holds the digest of the first.
            var again = await KubesProcess.RunAsync(_folder.Path, Slow, "up", "-f", _spec, "--wait-minutes", "0");
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Equal(mirrored, File.ReadAllText(index));
        }
        finally
        {
            // Its supervisor starts it again: it resumes from its saved join and downloads now.
            Signal(agent, "KILL");
        }

        var up = await KubesProcess.RunAsync(_folder.Path, Slow, "up", "-f", _spec, "--wait-minutes", "5");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains("etcd tier healthy: 3 of 3 members Ready.", up.Stdout);
        var log = File.ReadAllLines(Path.Join(Instance("etcd-2"), "var", "log", "kubes-agent.log"));
        var restarted = Array.FindLastIndex(log, l => l.StartsWith("kubes-agent exited with 137", StringComparison.Ordinal));
        Assert.True(restarted >= 0, "the supervisor never saw the agent killed:\n" + string.Join('\n', log));
        var after = log.Skip(restarted + 1).Select(AgentLogLine.Parse).OfType<AgentLogLine>().ToList();
        Assert.Contains(after, l => l.Template.StartsWith("Fetched {Artifact}", StringComparison.Ordinal));
        Assert.DoesNotContain(after, l => l.Template.StartsWith("Refused {Artifact}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Agents_left_without_a_coordinator_for_30_s_before_any_join_wait_and_converge()
    {
        var launch = KubesProcess.RunAsync(_folder.Path, Slow, "up", "-f", _spec, "--wait-minutes", "0");
        var slots = global::Kubes.Controller.Topology.ClusterTopology.From(_cluster).Slots.Select(s => s.Name).ToList();
        // Every instance has read its metadata at boot (the local coordinator serves it too); no agent has joined.
        await WaitUntilAsync(() => slots.All(slot => BootstrapLog(slot).Contains(" kubes-bootstrap: instance i-", StringComparison.Ordinal)),
            "every instance's user-data reads its metadata");
        Signal(int.Parse(File.ReadAllText(Path.Join(_folder.Path, "state", "local", "serve.pid")).Trim()), "KILL");
        var down = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(0, UsedJoinTokens());
        var launched = await launch;
        Assert.True(launched.ExitCode == 0, launched.ToString());

        await Task.Delay(TimeSpan.FromSeconds(30) - down.Elapsed);
        Assert.Equal(0, UsedJoinTokens());
        foreach (var slot in slots)
        {
            Assert.Single(AgentProcesses(slot));
            Assert.Contains(AgentLog(slot), l => l.Template.Contains("retrying in {Delay}", StringComparison.Ordinal));
        }

        var up = await KubesProcess.RunAsync(_folder.Path, Slow, "up", "-f", _spec, "--wait-minutes", "5");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains("etcd tier healthy: 3 of 3 members Ready.", up.Stdout);
        Assert.Equal(slots.Count, UsedJoinTokens());
        Assert.All(slots, slot => Assert.Contains(AgentLog(slot), l => l.Template.StartsWith("Joined cluster", StringComparison.Ordinal)));
    }

    private string Instance(string slot) => Path.Join(_folder.Path, "state", "instances", slot);

    /// <summary>The agent itself, not its supervisor loop, whose command line names it too.</summary>
    private IEnumerable<int> AgentProcesses(string slot)
    {
        var agent = Path.Join(Instance(slot), "usr", "local", "bin", "kubes-agent");
        return ProcessesUnder(agent).Where(pid => ProgramOf(pid) == agent);
    }

    private static string? ProgramOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0')[0];
        }
        catch (IOException)
        {
            return null; // it exited meanwhile
        }
    }

    private string BootstrapLog(string slot) =>
        File.Exists(Path.Join(Instance(slot), "var", "log", "kubes-bootstrap.log"))
            ? File.ReadAllText(Path.Join(Instance(slot), "var", "log", "kubes-bootstrap.log"))
            : "";

    private List<AgentLogLine> AgentLog(string slot) =>
        [.. File.ReadLines(Path.Join(Instance(slot), "var", "log", "kubes-agent.log")).Select(AgentLogLine.Parse).OfType<AgentLogLine>()];

    private int UsedJoinTokens() =>
        Directory.EnumerateFiles(Path.Join(_folder.Path, "state", "registrar", "join-tokens"), "*.used.json").Count();

    private static IReadOnlyCollection<string> JournaledSteps(string journal)
    {
        if (!File.Exists(journal)) return [];
        using var document = JsonDocument.Parse(File.ReadAllBytes(journal));
        return [.. document.RootElement.GetProperty("steps").EnumerateObject().Select(p => p.Name)];
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited in vain until {what}");
            await Task.Delay(10);
        }
    }

    private async Task WaitForPhaseAsync(string slot, string phase)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            var status = await KubesProcess.RunAsync(_folder.Path, Slow, "status", "-f", _spec, "-o", "json");
            var row = JsonDocument.Parse(status.Stdout).RootElement.EnumerateArray().Single(r => r.GetProperty("slot").GetString() == slot);
            last = row.GetProperty("phase").GetString()!;
            if (last == phase) return;
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        Assert.Fail($"{slot} did not reach {phase}; it is {last}");
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Processes whose command line or working folder is inside <paramref name="folder"/>.</summary>
    internal static IReadOnlyList<int> ProcessesUnder(string folder)
    {
        var found = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid)) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Join(entry, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(folder, StringComparison.Ordinal)) found.Add(pid);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return found;
    }
}

/// <summary>One line of the agent's compact JSON log: its message template and the step it names, if any.</summary>
internal sealed record AgentLogLine(string Template, string? Step)
{
    public static AgentLogLine? Parse(string line)
    {
        if (!line.StartsWith('{')) return null;
        try
        {
            using var json = JsonDocument.Parse(line);
            return new AgentLogLine(json.RootElement.TryGetProperty("@mt", out var template) ? template.GetString() ?? "" : "",
                json.RootElement.TryGetProperty("Step", out var step) ? step.GetString() : null);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "end-to-end";
}
