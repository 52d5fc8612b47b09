using System.Text.Json;
using Kubes.Controller.Spec;
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
        Assert.Contains("not installed (no installer for the role yet): controller, node", up.Stdout);

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
        Assert.All(rows.Where(r => r.GetProperty("role").GetString() != "etcd"),
            r => Assert.Equal("RoleNotInstallable", r.GetProperty("phase").GetString()));

        var again = await KubesProcess.RunAsync(_folder.Path, Slow, "up", "-f", _spec, "--wait-minutes", "1");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Instances: nothing to change.", again.Stdout);

        var destroy = await KubesProcess.RunAsync(_folder.Path, Slow, "destroy", "-f", _spec, "--yes");
        Assert.True(destroy.ExitCode == 0, destroy.ToString());
        Assert.False(Directory.Exists(Path.Join(_folder.Path, "state")));
        Assert.Empty(ProcessesUnder(_folder.Path));
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
    public async Task Agents_killed_mid_install_or_left_without_a_coordinator_resume_and_converge()
    {
        // Launch, and do not wait: the agents are joining and installing when the faults hit.
        var launch = await KubesProcess.RunAsync(_folder.Path, Slow, "up", "-f", _spec, "--wait-minutes", "0");
        Assert.Contains("Instances: ", launch.Stdout);

        var agent = await WaitForProcessAsync(Path.Join(_folder.Path, "state", "instances", "etcd-2", "usr", "local", "bin", "kubes-agent"));
        Signal(agent, "KILL");

        var daemon = int.Parse(File.ReadAllText(Path.Join(_folder.Path, "state", "local", "serve.pid")).Trim());
        Signal(daemon, "KILL");
        await Task.Delay(TimeSpan.FromSeconds(30));

        var up = await KubesProcess.RunAsync(_folder.Path, Slow, "up", "-f", _spec, "--wait-minutes", "5");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Contains("etcd tier healthy: 3 of 3 members Ready.", up.Stdout);
        var health = await EtcdCtl.RunAsync([.. EtcdClient(EtcdEndpoint(2)), "endpoint", "health", "--cluster"]);
        Assert.True(health.ExitCode == 0, health.Output);
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

    private static async Task<int> WaitForProcessAsync(string executable)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (DateTime.UtcNow < deadline)
        {
            if (ProcessesUnder(executable).FirstOrDefault() is var pid and > 0) return pid;
            await Task.Delay(100);
        }
        throw new TimeoutException($"no process runs {executable}");
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

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "end-to-end";
}
