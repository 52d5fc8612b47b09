using System.Text.Json;
using Kubes.Agent.ConfigFiles;
using Kubes.Agent.Processes;
using Kubes.Agent.Tests.Support;

namespace Kubes.Agent.Tests.ConfigFiles;

public sealed class KubeconfigTests : IDisposable
{
    private readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    private static Kubeconfig Scheduler() => Kubeconfig.ForClientCertificate("demo", new Uri("https://127.0.0.1:6443"),
        "/etc/kubes/pki/scheduler-ca.crt", "system:kube-scheduler", "/etc/kubes/pki/scheduler.crt", "/etc/kubes/pki/scheduler.key");

    private static string Render(Kubeconfig kubeconfig) => ConfigFile.ToYaml(kubeconfig, ConfigFileJsonContext.Default.Kubeconfig);

    [Fact]
    public void A_client_certificate_kubeconfig_is_the_golden_file() => Golden.AssertMatches("scheduler.kubeconfig", Render(Scheduler()));

    /// <summary>kubectl (client-go's loader) reads the file: the cluster, user and context are the ones written.</summary>
    [Fact]
    public async Task Kubectl_reads_it_as_written()
    {
        var path = _root.Join("scheduler.kubeconfig");
        await File.WriteAllTextAsync(path, Render(Scheduler() with
        {
            Contexts = [new KubeconfigNamedContext("system:kube-scheduler@demo", new KubeconfigContext("demo", "system:kube-scheduler", "kube-system"))],
        }));

        var result = await new CommandRunner().RunCheckedAsync("kubectl", ["config", "view", "--kubeconfig", path, "-o", "json"],
            CancellationToken.None);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;

        Assert.Equal("system:kube-scheduler@demo", root.GetProperty("current-context").GetString());
        var cluster = root.GetProperty("clusters")[0];
        Assert.Equal("demo", cluster.GetProperty("name").GetString());
        Assert.Equal("https://127.0.0.1:6443", cluster.GetProperty("cluster").GetProperty("server").GetString());
        Assert.Equal("/etc/kubes/pki/scheduler-ca.crt", cluster.GetProperty("cluster").GetProperty("certificate-authority").GetString());
        var user = root.GetProperty("users")[0];
        Assert.Equal("system:kube-scheduler", user.GetProperty("name").GetString());
        Assert.Equal("/etc/kubes/pki/scheduler.crt", user.GetProperty("user").GetProperty("client-certificate").GetString());
        Assert.Equal("/etc/kubes/pki/scheduler.key", user.GetProperty("user").GetProperty("client-key").GetString());
        var context = root.GetProperty("contexts")[0].GetProperty("context");
        Assert.Equal(("demo", "system:kube-scheduler", "kube-system"),
            (context.GetProperty("cluster").GetString(), context.GetProperty("user").GetString(), context.GetProperty("namespace").GetString()));
    }
}
