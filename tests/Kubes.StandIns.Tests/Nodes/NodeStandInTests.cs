using System.Net;
using Kubes.Agent.Tests.Components.Etcd;
using Kubes.Agent.Tests.Support;
using Kubes.StandIns.Tests.Support;

namespace Kubes.StandIns.Tests.Nodes;

/// <summary>
/// The kubelet stand-in asks a real containerd for CRI Version and Status on the socket its KubeletConfiguration names,
/// reaches the kube-apiserver stand-in with its kubeconfig, and serves 10250 to clients of its client CA only; the
/// kube-proxy stand-in reaches the API server with its configuration's kubeconfig.
/// </summary>
[Collection(EtcdCollection.Name)]
public sealed class NodeStandInTests(EtcdClusterFixture etcd) : IAsyncLifetime
{
    private readonly ControlPlaneFiles _files = new(etcd.Ca, EtcdCollection.ClientUrls(etcd));
    private NodeRuntime _runtime = null!;

    public async Task InitializeAsync() => _runtime = await NodeRuntime.StartAsync(_files.Root);

    [Fact]
    public async Task The_kubelet_answers_once_containerd_and_the_apiserver_answer_and_serves_only_clients_of_its_CA()
    {
        var kubeletFiles = new KubeletFiles(_files, "node-0");
        var (port, healthzPort) = (kubeletFiles.Port, kubeletFiles.HealthzPort);
        using var apiserver = StandInProgram.Start(_files.Root, "kube-apiserver", _files.ApiServerArgs());
        using var kubelet = StandInProgram.Start(_files.Root, "kubelet", kubeletFiles.Args(_runtime.Endpoint));
        using var plain = new HttpClient();
        var health = await HttpsProbe.WaitAsync(plain, new Uri($"http://{_files.Address}:{healthzPort}/healthz"), status => status == 200, kubelet);
        Assert.Equal("ok", health.Body);
        Assert.Contains("container runtime containerd 1.6", kubelet.Output);
        Assert.Contains($"connected to {_files.Server} as CN=system:node:node-0", kubelet.Output);

        var kubeletUrl = new Uri($"https://{_files.Address}:{port}/healthz");
        using var apiserverClient = HttpsProbe.Client(_files.Path("ca.crt"), _files.Path("apiserver-kubelet-client.crt"), _files.Path("apiserver-kubelet-client.key"));
        Assert.Equal((200, "ok"), await HttpsProbe.WaitAsync(apiserverClient, kubeletUrl, _ => true));
        using var anonymous = HttpsProbe.Client(_files.Path("ca.crt"));
        Assert.Equal(401, (await HttpsProbe.WaitAsync(anonymous, kubeletUrl, _ => true)).Status);
        using var otherCa = new TestCertificateAuthority("another CA");
        ClientCertificateFiles.Write(otherCa, "kube-apiserver-kubelet-client", _files.Path("intruder.crt"), _files.Path("intruder.key"), _files.Path("intruder-ca.crt"));
        using var intruder = HttpsProbe.Client(_files.Path("ca.crt"), _files.Path("intruder.crt"), _files.Path("intruder.key"));
        Assert.Equal(401, (await HttpsProbe.WaitAsync(intruder, kubeletUrl, _ => true)).Status);
    }

    [Fact]
    public async Task A_kubelet_pointed_at_a_socket_without_a_runtime_stays_unhealthy()
    {
        var kubeletFiles = new KubeletFiles(_files, "node-0");
        var healthzPort = kubeletFiles.HealthzPort;
        using var apiserver = StandInProgram.Start(_files.Root, "kube-apiserver", _files.ApiServerArgs());
        using var kubelet = StandInProgram.Start(_files.Root, "kubelet", kubeletFiles.Args($"unix://{_files.Root.Join("no-runtime.sock")}"));
        using var plain = new HttpClient();
        await HttpsProbe.WaitAsync(plain, new Uri($"http://{_files.Address}:{healthzPort}/healthz"), status => status != 0, kubelet);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var health = await HttpsProbe.WaitAsync(plain, new Uri($"http://{_files.Address}:{healthzPort}/healthz"), _ => true);
        Assert.Equal(500, health.Status);
        Assert.Contains("[-]container-runtime failed", health.Body);
    }

    [Fact]
    public async Task Kube_proxy_reaches_the_apiserver_with_its_configurations_kubeconfig()
    {
        var healthz = new IPEndPoint(_files.Address, FreePort.On(_files.Address));
        _files.WriteKubeconfig("kube-proxy", "system:kube-proxy", _files.ClusterCa, "ca.crt");
        _files.Write("kube-proxy-config.yaml", $"""
            apiVersion: kubeproxy.config.k8s.io/v1alpha1
            kind: KubeProxyConfiguration
            clientConnection:
              kubeconfig: {_files.Path("kube-proxy.kubeconfig")}
            hostnameOverride: node-0
            bindAddress: "{_files.Address}"
            healthzBindAddress: "{healthz}"
            mode: iptables
            clusterCIDR: "10.200.0.0/16"
            """);
        using var apiserver = StandInProgram.Start(_files.Root, "kube-apiserver", _files.ApiServerArgs());
        using var proxy = StandInProgram.Start(_files.Root, "kube-proxy", [$"--config={_files.Path("kube-proxy-config.yaml")}"]);
        using var plain = new HttpClient();
        Assert.Equal((200, "ok"), await HttpsProbe.WaitAsync(plain, new Uri($"http://{healthz}/healthz"), status => status == 200, proxy));
        Assert.Contains($"connected to {_files.Server} as CN=system:kube-proxy", proxy.Output);
    }

    public async Task DisposeAsync()
    {
        await _runtime.DisposeAsync();
        _files.Dispose();
    }
}
