using System.Text.Json;
using Kubes.Controller.Components.Addons;
using Kubes.Controller.Components.Addons.Cni;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Local.Support;
using HostTool = Kubes.Controller.Tests.Pki.Support.HostTool;
using Kubes.Controller.Tests.State;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.EndToEnd;

/// <summary>
/// The README's main job, word for word: <c>kubes up --local</c> with no spec file brings up the embedded default
/// cluster (bastion 1, etcd 3, controller 3, node 3) in <c>./.kubes/kubes</c> of the working folder, each instance in
/// a network namespace of its own on the cluster's bridge, all but the controllers and the nodes' kubelet and kube-proxy,
/// which wait for Kubernetes' programs; imported, they run, the controllers apply the add-ons, the kubelets register their
/// Nodes, and kubectl reaches the API through the HA endpoint; <c>destroy</c> leaves nothing of it.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class DefaultLocalClusterTests : IDisposable
{
    private static readonly TimeSpan Slow = TimeSpan.FromMinutes(12);
    private readonly TempFolder _folder = new();
    private readonly ClusterTopology _topology = ClusterTopology.From(ClusterSpecDefaults.Local());

    /// <summary>The test manifest in the shape of Calico's, imported as <c>calico.yaml</c> with its digest.</summary>
    private async Task<(string Text, string Sha256)> ImportCalicoManifestAsync([System.Runtime.CompilerServices.CallerFilePath] string source = "")
    {
        var text = await File.ReadAllTextAsync(Path.Join(Path.GetDirectoryName(source)!, "..", "Components", "Addons", "Manifests", "calico.yaml"));
        var folder = Path.Join(_folder.Path, "calico-import");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Join(folder, "calico.yaml"), text);
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
        await File.WriteAllTextAsync(Path.Join(folder, "SHA256SUMS"), $"{sha256}  calico.yaml\n");
        var import = await KubesProcess.RunAsync(_folder.Path, TimeSpan.FromMinutes(2), "artifacts", "import", folder, "--local");
        Assert.True(import.ExitCode == 0, import.ToString());
        return (text, sha256);
    }

    public void Dispose()
    {
        KubesProcess.RunAsync(_folder.Path, Slow, "destroy", "--local", "--yes").GetAwaiter().GetResult();
        _folder.Dispose();
    }

    private string State => Path.Join(_folder.Path, ".kubes", ClusterSpecDefaults.DefaultName);

    [Fact]
    public async Task The_readme_command_brings_up_the_default_cluster_and_destroy_removes_it()
    {
        var up = await KubesProcess.RunAsync(_folder.Path, Slow, "up", "--local");

        // Without network and with nothing imported, Kubernetes' own programs are missing: everything else comes up, each
        // missing file is named with what provides it, and up ends with one line saying what to do, exit code 1.
        Assert.True(up.ExitCode == 1, up.ToString());
        Assert.Contains("etcd tier healthy: 3 of 3 members Ready.\n" +
                        "Bastion ready: 'kubes vpn profile NAME' for the VPN, 'kubes ssh SLOT' or 'kubes ssh-config' for SSH.\n", up.Stdout);
        Assert.Contains("missing: kube-apiserver 1.36.3 linux/", up.Stdout);
        // The pod network's manifest is missing too, which holds back no slot: the controllers apply the other add-ons.
        Assert.Contains("missing: calico-manifest 3.32.1 linux/", up.Stdout);
        Assert.Contains("warning: no pod network: calico-manifest 3.32.1 (calico.yaml) is not pinned;", up.Stdout);
        Assert.DoesNotContain("calico", up.Stderr);
        Assert.Contains("error: the controller slots cannot start without kube-apiserver, kube-controller-manager, kube-scheduler: " +
                        "provide them with 'kubes artifacts import DIR' (or 'kubes artifacts mirror' on a machine with network; each " +
                        "'missing:' line above says more), then run 'kubes up' again.", up.Stderr);
        Assert.Contains("error: the node slots cannot start without kubelet, kube-proxy: " +
                        "provide them with 'kubes artifacts import DIR' (or 'kubes artifacts mirror' on a machine with network; each " +
                        "'missing:' line above says more), then run 'kubes up' again.", up.Stderr);

        // The README's addresses: the bridge holds the coordinator's (and metadata's) and the API endpoint's.
        var bridge = Kubes.Controller.Local.Namespaces.NamespaceNetwork.BridgeOf(_topology.Spec.Name, State);
        Assert.Equal("10.226.0.1/32 10.226.0.3/32", string.Join(' ',
            (await NetworkTraces.IpAsync("-4", "-o", "addr", "show", "dev", bridge)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3])));
        // Every instance in a namespace of its own: etcd-0's etcd runs in one, which is not this machine's.
        var etcd = Assert.Single(LocalClusterTests.ProcessesUnder(Path.Join(State, "instances", "etcd-0", "usr", "local", "bin", "etcd")));
        Assert.StartsWith("kubes-", await NetworkTraces.NamespaceOfAsync(etcd));

        // As the README talks to it: the API server's etcd client certificate, issued by Kubes to controller-0.
        Assert.Equal("10.226.0.10", _topology.FindSlot(InstanceRole.Etcd, 0)!.PrivateIp!.ToString());
        var pki = Path.Join(State, "instances", "controller-0", "etc", "kubes", "pki");
        var health = await EtcdCtl.RunAsync($"--endpoints=https://{_topology.FindSlot(InstanceRole.Etcd, 0)!.PrivateIp}:2379",
            $"--cacert={pki}/apiserver-etcd-client-ca.crt", $"--cert={pki}/apiserver-etcd-client.crt", $"--key={pki}/apiserver-etcd-client.key",
            "endpoint", "health", "--cluster");
        Assert.True(health.ExitCode == 0, health.Output);
        Assert.Equal(3, health.Output.Split('\n').Count(l => l.Contains("is healthy")));

        var status = await KubesProcess.RunAsync(_folder.Path, Slow, "status", "--local", "-o", "json");
        Assert.True(status.ExitCode == 0, status.ToString());
        var rows = JsonDocument.Parse(status.Stdout).RootElement.EnumerateArray()
            .ToDictionary(r => r.GetProperty("slot").GetString()!, r => r.GetProperty("phase").GetString());
        Assert.Equal(_topology.Slots.Select(s => s.Name).Order(), rows.Keys.Order());
        Assert.Equal(10, rows.Count);
        Assert.All(_topology.Slots.Where(slot => slot.Role is not (InstanceRole.Controller or InstanceRole.Node)),
            slot => Assert.Equal("Ready", rows[slot.Name]));
        // Failed, as up's error says; a slot may be on its next attempt by now (it retries, asking for a fresh configuration).
        Assert.All(_topology.Slots.Where(slot => slot.Role is InstanceRole.Controller or InstanceRole.Node),
            slot => Assert.Contains(rows[slot.Name], new[] { "Failed", "Installing", "Certifying" }));

        // As the error says: the programs imported (the test stand-ins, as an air-gapped operator imports the real ones),
        // then up again. The controllers, retrying, take the fresh configuration; kubectl reaches the API through HAProxy.
        // With them the pod network's manifest (a test manifest in the shape of Calico's), as an operator imports calico.yaml.
        await StandInImport.IntoAsync(_folder.Path, "--local");
        var calico = await ImportCalicoManifestAsync();
        var again = await KubesProcess.RunAsync(_folder.Path, Slow, "up", "--local");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains($"Pod network: calico 3.32.1 from its manifest (sha256 {calico.Sha256});", again.Stdout);
        var kubeconfig = Path.Join(_folder.Path, "admin.conf");
        var written = await KubesProcess.RunAsync(_folder.Path, Slow, "kubeconfig", "--local", "--out", kubeconfig);
        Assert.True(written.ExitCode == 0, written.ToString());
        Assert.Contains("server: https://10.226.0.3:6443", File.ReadAllText(kubeconfig));
        var readyz = HostTool.Run("kubectl", "--kubeconfig", kubeconfig, "get", "--raw", "/readyz");
        Assert.True(readyz.ExitCode == 0 && readyz.StandardOutput.Trim() == "ok", readyz.Output);
        var kubectlVersion = HostTool.Run("kubectl", "--kubeconfig", kubeconfig, "version");
        Assert.True(kubectlVersion.ExitCode == 0, kubectlVersion.Output);
        Assert.Contains("Server Version: v1.36.3", kubectlVersion.Output);

        // The cluster applied its add-ons by itself: every object arrived by server-side apply from the field manager
        // kubes, recorded in the ConfigMap a new lease holder reads; the one binding up applies with the admin certificate
        // is there too. (The stand-in apiservers store every apply they receive, even an unchanged one.)
        Assert.Contains("RBAC: the controllers' add-on managers are bound to cluster-admin", again.Stdout);
        var grant = GetRaw(kubeconfig, "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/kubes:addon-managers");
        Assert.Equal("cluster-admin", grant.GetProperty("roleRef").GetProperty("name").GetString());
        var podNetwork = CniManifest.Render(CniKind.Calico, calico.Text, _topology.Spec.Network.PodCidr, "10.226.0.3", 6443);
        var addonPaths = ClusterAddons.For(_topology, podNetwork).SelectMany(a => a.Objects).Select(AddonObjectPath.Of).ToList();
        Assert.Contains("/apis/apps/v1/namespaces/kube-system/daemonsets/calico-node", addonPaths);
        var versions = AddonVersions(kubeconfig, addonPaths);
        var record = GetRaw(kubeconfig, Kubes.Protos.Contract.AddonNames.RecordPath);
        using var applied = JsonDocument.Parse(record.GetProperty("data").GetProperty(Kubes.Protos.Contract.AddonNames.RecordKey).GetString()!);
        Assert.Equal(addonPaths.Order(), applied.RootElement.GetProperty("objects").EnumerateObject().Select(o => o.Name).Order());
        Assert.StartsWith("controller-", applied.RootElement.GetProperty("by").GetString());

        // Each node's kubelet registered its Node, and kubes status shows what the API says of it beside its agent's word:
        // NotReady here, for want of a pod network (its manifest is applied, but no calico-node runs: the stand-in kubelets
        // run no pods), or while the kubelet's first runtime check has not completed.
        var nodeRows = await NodeRowsAsync();
        Assert.Equal(_topology.SlotsOf(InstanceRole.Node).Select(n => n.Name).Order(), nodeRows.Keys.Order());
        Assert.All(nodeRows.Values, node => Assert.Matches("^(Ready|NotReady: container runtime (network not ready: .*cni plugin not initialized|status check may not have completed yet.*))$", node));

        // A client certificate from another CA, with the admin's very names, is refused through the endpoint.
        var foreign = Path.Join(_folder.Path, "foreign.conf");
        await File.WriteAllTextAsync(foreign, ForeignClient.Kubeconfig(await File.ReadAllTextAsync(kubeconfig)));
        var refused = HostTool.Run("kubectl", "--kubeconfig", foreign, "--request-timeout=20s", "get", "--raw", "/version");
        Assert.True(refused.ExitCode != 0, refused.Output);
        Assert.Matches("(?i)unauthorized|certificate|tls|handshake", refused.Output);

        // controller-0's apiserver stopped (not killed: its supervisor would start it again at once): the endpoint takes it
        // out and kubectl is still answered; controller-0's agent reports it Degraded, then Ready once it runs again. Its agent
        // may restart it meanwhile for a configuration that still converges (another controller's service-account key
        // arriving): the new process is stopped in its turn.
        var binary = Path.Join(State, "instances", "controller-0", "usr", "local", "bin", "kube-apiserver");
        var stopped = new List<int>();
        try
        {
            for (var degraded = false; !degraded;)
            {
                Assert.True(stopped.Count < 4, $"controller-0's apiserver was replaced {stopped.Count} times while stopped");
                var apiServer = Assert.Single(LocalClusterTests.ProcessesUnder(binary));
                Assert.Equal(0, HostTool.Run("kill", "-STOP", apiServer.ToString(System.Globalization.CultureInfo.InvariantCulture)).ExitCode);
                stopped.Add(apiServer);
                // Degraded at its next health check; or Starting, when its agent had just restarted it (a configuration still
                // converging) and waits for it to become healthy: not Ready either way.
                degraded = await WaitForPhaseAsync("controller-0", ["Degraded", "Starting"], whileTrue: () => IsStopped(apiServer));
            }
            // HAProxy takes a stopped apiserver out within about two check intervals (4 s).
            await Task.Delay(TimeSpan.FromSeconds(10));
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var answered = HostTool.Run("kubectl", "--kubeconfig", kubeconfig, "--request-timeout=10s", "get", "--raw", "/readyz");
                Assert.True(answered.ExitCode == 0 && answered.StandardOutput.Trim() == "ok", answered.Output);
            }
        }
        finally
        {
            foreach (var pid in stopped) HostTool.Run("kill", "-CONT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        await WaitForPhaseAsync("controller-0", ["Ready"]);

        // Up once more: nothing changed, so nothing is applied again, whichever controller holds the add-on lease now.
        var third = await KubesProcess.RunAsync(_folder.Path, Slow, "up", "--local");
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Equal(versions, AddonVersions(kubeconfig, addonPaths));

        // Each node's own containerd answers CRI on the socket under the node's root, from the node's namespace; the
        // nodes reach each other on their VPC addresses across the bridge.
        var nodes = _topology.SlotsOf(InstanceRole.Node).ToList();
        var namespaces = new List<string>();
        foreach (var node in nodes)
        {
            var root = Path.Join(State, "instances", node.Name);
            using var cri = new Kubes.Agent.Components.Containerd.Cri.CriRuntimeClient(Path.Join(root, "run", "containerd", "containerd.sock"));
            var version = await cri.VersionAsync(CancellationToken.None);
            Assert.Equal(("containerd", "v1"), (version.RuntimeName, version.RuntimeApiVersion));
            var containerd = Assert.Single(LocalClusterTests.ProcessesUnder(Path.Join(root, "usr", "local", "bin", "containerd")));
            namespaces.Add(await NetworkTraces.NamespaceOfAsync(containerd));
        }
        Assert.Equal(nodes.Count, namespaces.Distinct().Count());
        for (var i = 0; i < nodes.Count; i++)
        {
            var next = nodes[(i + 1) % nodes.Count].PrivateIp!;
            var ping = await NetworkTraces.InNamespaceAsync(namespaces[i], "ping", "-c", "1", "-W", "5", next.ToString());
            Assert.True(ping.ExitCode == 0, $"{nodes[i].Name} does not reach {next}: {ping.Output}");
        }

        var destroy = await KubesProcess.RunAsync(_folder.Path, Slow, "destroy", "--local", "--yes");
        Assert.True(destroy.ExitCode == 0, destroy.ToString());
        Assert.False(Directory.Exists(State));
        Assert.Empty(LocalClusterTests.ProcessesUnder(_folder.Path));
        Assert.Empty(await NetworkTraces.OfAsync(_topology.Spec.Name, State, _topology.VpcCidr));
        Assert.DoesNotContain(File.ReadLines("/proc/self/mountinfo"), line => line.Contains(_folder.Path, StringComparison.Ordinal));
    }

    /// <summary>Until <c>kubes status</c> shows <paramref name="slot"/> in one of <paramref name="phases"/> (its agent checks health every
    /// half minute): true; false as soon as <paramref name="whileTrue"/> no longer holds.</summary>
    private async Task<bool> WaitForPhaseAsync(string slot, string[] phases, Func<bool>? whileTrue = null)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(3);
        string? seen = null;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var status = await KubesProcess.RunAsync(_folder.Path, Slow, "status", "--local", "-o", "json");
            Assert.True(status.ExitCode == 0, status.ToString());
            seen = JsonDocument.Parse(status.Stdout).RootElement.EnumerateArray()
                .Single(r => r.GetProperty("slot").GetString() == slot).GetProperty("phase").GetString();
            if (phases.Contains(seen)) return true;
            if (whileTrue is not null && !whileTrue()) return false;
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        var table = await KubesProcess.RunAsync(_folder.Path, Slow, "status", "--local");
        Assert.Fail($"{slot} did not report {string.Join(" or ", phases)} within 3 minutes; it reports {seen}.\n{table.Stdout}\n" +
                    string.Join("\n", File.ReadLines(Path.Join(State, "instances", slot, "var", "log", "kubes-agent.log")).TakeLast(8)));
        return false;
    }

    /// <summary>What kubes status says the API has of each node (its Ready condition), once every node registered.</summary>
    private async Task<Dictionary<string, string?>> NodeRowsAsync()
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            var status = await KubesProcess.RunAsync(_folder.Path, Slow, "status", "--local", "-o", "json");
            Assert.True(status.ExitCode == 0, status.ToString());
            var rows = JsonDocument.Parse(status.Stdout).RootElement.EnumerateArray()
                .Where(r => r.GetProperty("role").GetString() == "node")
                .ToDictionary(r => r.GetProperty("slot").GetString()!, r => r.TryGetProperty("node", out var node) ? node.GetString() : null);
            if (rows.Values.All(n => n is not null && n != "not registered")) return rows;
            Assert.True(DateTimeOffset.UtcNow < deadline, $"not every node shows the API's word within a minute:\n{status}");
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }

    private static JsonElement GetRaw(string kubeconfig, string path)
    {
        var got = HostTool.Run("kubectl", "--kubeconfig", kubeconfig, "--request-timeout=20s", "get", "--raw", path);
        Assert.True(got.ExitCode == 0, $"{path}: {got.Output}");
        return JsonDocument.Parse(got.StandardOutput).RootElement.Clone();
    }

    /// <summary>Each add-on object's resourceVersion, once it is checked to have come from Kubes' server-side apply.</summary>
    private static Dictionary<string, string> AddonVersions(string kubeconfig, IEnumerable<string> paths) => paths.ToDictionary(path => path, path =>
    {
        var metadata = GetRaw(kubeconfig, path).GetProperty("metadata");
        Assert.Contains(metadata.GetProperty("managedFields").EnumerateArray(), f =>
            f.GetProperty("manager").GetString() == Addon.FieldManager && f.GetProperty("operation").GetString() == "Apply");
        Assert.True(metadata.GetProperty("labels").TryGetProperty(Addon.AddonLabel, out _), path);
        return metadata.GetProperty("resourceVersion").GetString()!;
    });

    /// <summary>Whether the process still runs, stopped by a signal.</summary>
    private static bool IsStopped(int pid)
    {
        try
        {
            return File.ReadAllLines($"/proc/{pid}/status").Any(line => line.StartsWith("State:", StringComparison.Ordinal) && line.Contains("(stopped)"));
        }
        catch (IOException)
        {
            return false;
        }
    }
}
