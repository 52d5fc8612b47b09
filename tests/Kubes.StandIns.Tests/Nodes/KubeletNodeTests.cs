using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Kubes.Agent.Tests.Components.Etcd;
using Kubes.StandIns.Tests.Support;

namespace Kubes.StandIns.Tests.Nodes;

/// <summary>
/// The kubelet stand-in registers its Node with the kube-apiserver stand-in (on the real etcd) and keeps its Ready
/// condition from a real containerd's CRI Status, read back through the apiserver's HTTPS with the admin's client
/// certificate. Each test names its node apart: the tests share that etcd.
/// </summary>
[Collection(EtcdCollection.Name)]
public sealed class KubeletNodeTests(EtcdClusterFixture etcd) : IAsyncLifetime
{
    private const string ProviderId = "aws:///eu-west-1a/i-0123456789abcdef0";
    private const string NetworkNotReady =
        "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized";

    private readonly ControlPlaneFiles _files = new(etcd.Ca, EtcdCollection.ClientUrls(etcd));
    private readonly string _nodeName = "node-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    private readonly List<IDisposable> _disposables = [];
    private NodeRuntime _runtime = null!;

    private string NodePath => $"/api/v1/nodes/{_nodeName}";

    public async Task InitializeAsync() => _runtime = await NodeRuntime.StartAsync(_files.Root);

    [Fact]
    public async Task The_kubelet_registers_its_node_with_the_name_address_labels_providerID_and_nodeInfo_its_flags_and_config_give()
    {
        // Upper case in --hostname-override: the kubelet lowercases its node name.
        var (kubelet, api) = await StartAsync(_nodeName.ToUpperInvariant(), [$"providerID: \"{ProviderId}\""],
            ["--node-labels=kubes.io/role=node,topology.kubernetes.io/region=eu-west-1,topology.kubernetes.io/zone=eu-west-1a"]);

        var node = await api.WaitAsync(NodePath, n => RuntimeVersion(n).Length > 0, kubelet);
        Assert.Equal(_nodeName, node["metadata"]!["name"]!.ToString());
        var architecture = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64";
        Assert.Equal(new Dictionary<string, string>
        {
            ["kubernetes.io/hostname"] = _nodeName, ["kubernetes.io/os"] = "linux", ["kubernetes.io/arch"] = architecture,
            ["kubes.io/role"] = "node", ["topology.kubernetes.io/region"] = "eu-west-1", ["topology.kubernetes.io/zone"] = "eu-west-1a",
        }, node["metadata"]!["labels"]!.AsObject().ToDictionary(l => l.Key, l => l.Value!.ToString()));
        Assert.Equal(ProviderId, node["spec"]!["providerID"]!.ToString());
        Assert.Equal([("InternalIP", _files.Address.ToString()), ("Hostname", _nodeName)],
            node["status"]!["addresses"]!.AsArray().Select(a => (a!["type"]!.ToString(), a["address"]!.ToString())));
        var info = node["status"]!["nodeInfo"]!;
        Assert.StartsWith("containerd://1.6", RuntimeVersion(node));
        Assert.Equal((KubernetesRelease.Built.GitVersion, "linux", architecture),
            (info["kubeletVersion"]!.ToString(), info["operatingSystem"]!.ToString(), info["architecture"]!.ToString()));
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), info["kernelVersion"]!.ToString());
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim(), info["bootID"]!.ToString());
        Assert.Contains($"Successfully registered node {_nodeName}", kubelet.Output);
    }

    [Fact]
    public async Task Ready_is_false_in_the_kubelets_words_while_containerd_has_no_CNI_network()
    {
        var (kubelet, api) = await StartAsync(_nodeName);

        var ready = Ready(await api.WaitAsync(NodePath, n => RuntimeVersion(n).Length > 0, kubelet));
        Assert.Equal(("False", "KubeletNotReady", NetworkNotReady), (ready["status"]!.ToString(), ready["reason"]!.ToString(), ready["message"]!.ToString()));
        Assert.Contains($"Node {_nodeName} status is now: NodeNotReady (Ready=False KubeletNotReady: {NetworkNotReady})", kubelet.Output);
    }

    [Fact]
    public async Task Ready_turns_true_once_containerd_loads_a_CNI_network()
    {
        var (kubelet, api) = await StartAsync(_nodeName);
        var notReady = Ready(await api.WaitAsync(NodePath, n => RuntimeVersion(n).Length > 0, kubelet));
        Assert.Equal("False", notReady["status"]!.ToString());

        _runtime.WriteCniNetwork("10.244.7.0/24");
        var ready = Ready(await api.WaitAsync(NodePath, n => Ready(n)["status"]!.ToString() == "True", kubelet));
        Assert.Equal(("KubeletReady", "kubelet is posting ready status"), (ready["reason"]!.ToString(), ready["message"]!.ToString()));
        Assert.True(Time(ready, "lastTransitionTime") >= Time(notReady, "lastHeartbeatTime"));
        Assert.Contains($"Node {_nodeName} status is now: NodeReady", kubelet.Output);
    }

    [Fact]
    public async Task The_heartbeat_advances_lastHeartbeatTime_every_nodeStatusUpdateFrequency_and_keeps_lastTransitionTime()
    {
        var (kubelet, api) = await StartAsync(_nodeName, ["nodeStatusUpdateFrequency: 1s"]);
        var first = Ready(await api.WaitAsync(NodePath, n => RuntimeVersion(n).Length > 0, kubelet));

        var later = Ready(await api.WaitAsync(NodePath, n => Time(Ready(n), "lastHeartbeatTime") > Time(first, "lastHeartbeatTime"), kubelet));
        Assert.Equal(first["status"]!.ToString(), later["status"]!.ToString());
        Assert.Equal(first["lastTransitionTime"]!.ToString(), later["lastTransitionTime"]!.ToString());
    }

    [Fact]
    public async Task A_node_already_registered_is_taken_over_keeping_its_uid_and_the_labels_it_was_given()
    {
        var api = await StartApiServerAsync();
        var earlier = await api.PostAsync("/api/v1/nodes", new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Node",
            ["metadata"] = new JsonObject
            {
                ["name"] = _nodeName,
                ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = "an-earlier-name", ["kubes.io/owner"] = "an operator" },
            },
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready", ["status"] = "Unknown", ["reason"] = "NodeStatusUnknown", ["message"] = "Kubelet stopped posting node status.",
                    ["lastHeartbeatTime"] = "2020-01-01T00:00:00Z", ["lastTransitionTime"] = "2020-01-01T00:00:00Z",
                }),
            },
        });
        Assert.Equal(201, earlier.Status);

        var kubelet = StartKubelet(_nodeName);
        var node = await api.WaitAsync(NodePath, n => Ready(n)["status"]!.ToString() == "False", kubelet);
        Assert.Equal(earlier.Body["metadata"]!["uid"]!.ToString(), node["metadata"]!["uid"]!.ToString());
        var labels = node["metadata"]!["labels"]!;
        Assert.Equal((_nodeName, "an operator"), (labels["kubernetes.io/hostname"]!.ToString(), labels["kubes.io/owner"]!.ToString()));
        Assert.NotEqual("2020-01-01T00:00:00Z", Ready(node)["lastTransitionTime"]!.ToString());
        Assert.Single(node["status"]!["conditions"]!.AsArray());
        Assert.Contains($"Node {_nodeName} was previously registered: taking it over", kubelet.Output);
        Assert.DoesNotContain("Successfully registered", kubelet.Output);
    }

    /// <summary>The apiserver, ready, and a kubelet named <paramref name="hostname"/>; the admin's API calls.</summary>
    private async Task<(StandInProgram Kubelet, ApiCalls Api)> StartAsync(string hostname, IEnumerable<string>? moreConfig = null,
        IEnumerable<string>? moreFlags = null)
    {
        var api = await StartApiServerAsync();
        return (StartKubelet(hostname, moreConfig, moreFlags), api);
    }

    private async Task<ApiCalls> StartApiServerAsync()
    {
        var apiserver = Started("kube-apiserver", _files.ApiServerArgs());
        var client = HttpsProbe.Client(_files.Path("ca.crt"), _files.Path("admin.crt"), _files.Path("admin.key"));
        _disposables.Add(client);
        await HttpsProbe.WaitAsync(client, new Uri(_files.Server, "/readyz"), status => status == 200, apiserver);
        return new ApiCalls(client, _files.Server);
    }

    private StandInProgram StartKubelet(string hostname, IEnumerable<string>? moreConfig = null, IEnumerable<string>? moreFlags = null) =>
        Started("kubelet", new KubeletFiles(_files, hostname).Args(_runtime.Endpoint, moreConfig, moreFlags));

    private StandInProgram Started(string component, IEnumerable<string> args)
    {
        var program = StandInProgram.Start(_files.Root, component, args);
        _disposables.Add(program);
        return program;
    }

    private static string RuntimeVersion(JsonObject node) => node["status"]?["nodeInfo"]?["containerRuntimeVersion"]?.ToString() ?? "";

    private static JsonObject Ready(JsonObject node) =>
        node["status"]!["conditions"]!.AsArray().OfType<JsonObject>().Single(c => c["type"]!.ToString() == "Ready");

    private static DateTimeOffset Time(JsonObject condition, string field) => DateTimeOffset.Parse(condition[field]!.ToString());

    public async Task DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables)) disposable.Dispose();
        await _runtime.DisposeAsync();
        _files.Dispose();
    }
}
