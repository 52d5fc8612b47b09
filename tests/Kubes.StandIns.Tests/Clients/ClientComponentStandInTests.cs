using Kubes.Agent.Tests.Components.Etcd;
using Kubes.Agent.Tests.Support;
using Kubes.StandIns.Tests.Support;

namespace Kubes.StandIns.Tests.Clients;

/// <summary>
/// The kube-controller-manager and kube-scheduler stand-ins reach the kube-apiserver stand-in with their kubeconfigs'
/// client certificates, verifying it against the kubeconfig's CA, and serve /healthz on their secure ports.
/// </summary>
[Collection(EtcdCollection.Name)]
public sealed class ClientComponentStandInTests(EtcdClusterFixture etcd) : IDisposable
{
    private readonly ControlPlaneFiles _files = new(etcd.Ca, EtcdCollection.ClientUrls(etcd));

    [Fact]
    public async Task Controller_manager_and_scheduler_connect_to_the_apiserver_and_serve_healthz()
    {
        var (managerPort, schedulerPort) = (FreePort.On(_files.Address), FreePort.On(_files.Address));
        // Started before the apiserver: they keep trying until it answers.
        using var manager = StandInProgram.Start(_files.Root, "kube-controller-manager", _files.ControllerManagerArgs(managerPort));
        using var scheduler = StandInProgram.Start(_files.Root, "kube-scheduler", _files.SchedulerArgs(schedulerPort));
        using var anyServer = HttpsProbe.AnyServer();
        var waiting = await HttpsProbe.WaitAsync(anyServer, new Uri($"https://{_files.Address}:{managerPort}/healthz"), status => status != 0, manager);
        Assert.Equal(500, waiting.Status);

        using var apiserver = StandInProgram.Start(_files.Root, "kube-apiserver", _files.ApiServerArgs());
        var managerHealth = await HttpsProbe.WaitAsync(anyServer, new Uri($"https://{_files.Address}:{managerPort}/healthz"), status => status == 200, manager);
        var schedulerHealth = await HttpsProbe.WaitAsync(anyServer, new Uri($"https://{_files.Address}:{schedulerPort}/healthz"), status => status == 200, scheduler);
        Assert.Equal(("ok", "ok"), (managerHealth.Body, schedulerHealth.Body));
        Assert.Contains($"connected to {_files.Server} as CN=system:kube-controller-manager", manager.Output);
        Assert.Contains($"connected to {_files.Server} as CN=system:kube-scheduler", scheduler.Output);
        Assert.Contains("Flag --profiling has been deprecated", scheduler.Output);
    }

    [Fact]
    public async Task A_kubeconfig_CA_that_did_not_sign_the_apiservers_certificate_keeps_the_scheduler_unhealthy()
    {
        using var otherCa = new TestCertificateAuthority("another CA");
        _files.Write("other-ca.crt", otherCa.CertificatePem);
        _files.WriteKubeconfig("scheduler", "system:kube-scheduler", _files.ClusterCa, "other-ca.crt");
        var port = FreePort.On(_files.Address);
        using var apiserver = StandInProgram.Start(_files.Root, "kube-apiserver", _files.ApiServerArgs());
        using var scheduler = StandInProgram.Start(_files.Root, "kube-scheduler", _files.SchedulerArgs(port));
        using var anonymous = HttpsProbe.Client(_files.Path("ca.crt"));
        await HttpsProbe.WaitAsync(anonymous, new Uri(_files.Server, "/readyz"), status => status == 200, apiserver);
        await Task.Delay(TimeSpan.FromSeconds(2));

        using var anyServer = HttpsProbe.AnyServer();
        var health = await HttpsProbe.WaitAsync(anyServer, new Uri($"https://{_files.Address}:{port}/healthz"), status => status != 0, scheduler);
        Assert.Equal(500, health.Status);
        Assert.Contains("[-]apiserver-connection failed", health.Body);
        Assert.DoesNotContain("connected to", scheduler.Output);
    }

    public void Dispose() => _files.Dispose();
}
