using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kubes.Agent.Tests.Components.Etcd;
using Kubes.Agent.Tests.Support;
using Kubes.StandIns.Tests.Support;

namespace Kubes.StandIns.Tests.ApiServer;

/// <summary>The kube-apiserver stand-in against the real three-member etcd, with real mutual TLS on both sides.</summary>
[Collection(EtcdCollection.Name)]
public sealed class ApiServerStandInTests(EtcdClusterFixture etcd) : IDisposable
{
    private readonly ControlPlaneFiles _files = new(etcd.Ca, EtcdCollection.ClientUrls(etcd));

    private Uri Url(string path) => new(_files.Server, path);

    [Fact]
    public async Task It_stores_in_every_etcd_member_and_serves_health_and_version_to_anyone_and_the_rest_to_its_clients_only()
    {
        using var apiserver = StandInProgram.Start(_files.Root, "kube-apiserver", _files.ApiServerArgs());
        using var anonymous = HttpsProbe.Client(_files.Path("ca.crt"));
        var ready = await HttpsProbe.WaitAsync(anonymous, Url("/readyz"), status => status == 200, apiserver);
        Assert.Equal("ok", ready.Body);
        Assert.Equal((200, "ok"), await HttpsProbe.WaitAsync(anonymous, Url("/livez"), _ => true));
        Assert.Contains("[+]etcd ok", (await HttpsProbe.WaitAsync(anonymous, Url("/healthz?verbose"), _ => true)).Body);
        var version = await anonymous.GetFromJsonAsync<JsonElement>(Url("/version"));
        Assert.Equal(KubernetesRelease.Built.GitVersion, version.GetProperty("gitVersion").GetString());
        Assert.Equal(KubernetesRelease.Built.Minor.ToString(), version.GetProperty("minor").GetString());
        Assert.Equal(403, (await HttpsProbe.WaitAsync(anonymous, Url("/api"), _ => true)).Status);

        using var admin = HttpsProbe.Client(_files.Path("ca.crt"), _files.Path("admin.crt"), _files.Path("admin.key"));
        var api = await HttpsProbe.WaitAsync(admin, Url("/api"), _ => true);
        Assert.Equal(200, api.Status);
        Assert.Contains("\"APIVersions\"", api.Body);

        using var otherCa = new TestCertificateAuthority("another CA");
        ClientCertificateFiles.Write(otherCa, "admin", _files.Path("intruder.crt"), _files.Path("intruder.key"), _files.Path("intruder-ca.crt"));
        using var intruder = HttpsProbe.Client(_files.Path("ca.crt"), _files.Path("intruder.crt"), _files.Path("intruder.key"));
        Assert.Equal(401, (await HttpsProbe.WaitAsync(intruder, Url("/api"), _ => true)).Status);
        Assert.Equal(401, (await HttpsProbe.WaitAsync(intruder, Url("/readyz"), _ => true)).Status);

        // What it wrote is in etcd, under its prefix, read back here with the same client certificate.
        foreach (var member in EtcdCollection.ClientUrls(etcd))
        {
            var key = $"/registry/kubes-stand-in/{_files.Address}:{_files.Port}/{member.Authority}";
            using var etcdClient = HttpsProbe.Client(_files.Path("etcd-ca.crt"), _files.Path("apiserver-etcd-client.crt"), _files.Path("apiserver-etcd-client.key"));
            using var range = await etcdClient.PostAsJsonAsync(new Uri(member, "/v3/kv/range"), new { key = Convert.ToBase64String(Encoding.UTF8.GetBytes(key)) });
            var answer = await range.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(answer.TryGetProperty("kvs", out var kvs) && kvs.GetArrayLength() == 1, $"{key} is not in etcd: {answer}");
        }
    }

    [Fact]
    public async Task Kubectl_gets_its_version_and_readyz_and_is_refused_with_a_certificate_of_another_CA()
    {
        using var apiserver = StandInProgram.Start(_files.Root, "kube-apiserver", _files.ApiServerArgs());
        using var anonymous = HttpsProbe.Client(_files.Path("ca.crt"));
        await HttpsProbe.WaitAsync(anonymous, Url("/readyz"), status => status == 200, apiserver);

        var version = await KubectlAsync(_files.Path("admin.kubeconfig"), "version", "-o", "json");
        Assert.True(version.ExitCode == 0, version.Error);
        Assert.Equal(KubernetesRelease.Built.GitVersion,
            JsonDocument.Parse(version.Output).RootElement.GetProperty("serverVersion").GetProperty("gitVersion").GetString());
        var readyz = await KubectlAsync(_files.Path("admin.kubeconfig"), "get", "--raw", "/readyz");
        Assert.Equal((0, "ok"), (readyz.ExitCode, readyz.Output));

        using var otherCa = new TestCertificateAuthority("another CA");
        _files.WriteKubeconfig("intruder", "admin", otherCa, "ca.crt");
        var refused = await KubectlAsync(_files.Path("intruder.kubeconfig"), "get", "--raw", "/api");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("error: You must be logged in to the server (Unauthorized)", refused.Error);
    }

    [Fact]
    public async Task It_is_never_ready_with_an_etcd_client_certificate_etcd_does_not_trust()
    {
        using var otherCa = new TestCertificateAuthority("another etcd CA");
        ClientCertificateFiles.Write(otherCa, "kube-apiserver-etcd-client", _files.Path("apiserver-etcd-client.crt"),
            _files.Path("apiserver-etcd-client.key"), _files.Path("other-etcd-ca.crt"));
        using var apiserver = StandInProgram.Start(_files.Root, "kube-apiserver", _files.ApiServerArgs());
        using var anonymous = HttpsProbe.Client(_files.Path("ca.crt"));
        await HttpsProbe.WaitAsync(anonymous, Url("/livez"), status => status == 200, apiserver);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var readyz = await HttpsProbe.WaitAsync(anonymous, Url("/readyz"), _ => true);
        Assert.Equal(500, readyz.Status);
        Assert.Contains("[-]etcd failed", readyz.Body);
        Assert.Contains("cannot reach it", apiserver.Output);
    }

    [Fact]
    public async Task Anonymous_access_is_limited_to_the_paths_of_the_authentication_configuration()
    {
        _files.Write("authentication-config.yaml", """
            apiVersion: apiserver.config.k8s.io/v1
            kind: AuthenticationConfiguration
            anonymous:
              enabled: true
              conditions:
                - path: /livez
                - path: /readyz
            """);
        using var apiserver = StandInProgram.Start(_files.Root, "kube-apiserver",
            [.. _files.ApiServerArgs(), $"--authentication-config={_files.Path("authentication-config.yaml")}"]);
        using var anonymous = HttpsProbe.Client(_files.Path("ca.crt"));
        await HttpsProbe.WaitAsync(anonymous, Url("/readyz"), status => status == 200, apiserver);
        Assert.Equal(401, (await HttpsProbe.WaitAsync(anonymous, Url("/healthz"), _ => true)).Status);
        Assert.Equal(401, (await HttpsProbe.WaitAsync(anonymous, Url("/version"), _ => true)).Status);
        using var admin = HttpsProbe.Client(_files.Path("ca.crt"), _files.Path("admin.crt"), _files.Path("admin.key"));
        Assert.Equal(200, (await HttpsProbe.WaitAsync(admin, Url("/version"), _ => true)).Status);
    }

    [Fact]
    public async Task Without_anonymous_access_even_the_health_endpoints_need_a_certificate_and_SIGTERM_stops_it_cleanly()
    {
        using var apiserver = StandInProgram.Start(_files.Root, "kube-apiserver", [.. _files.ApiServerArgs(), "--anonymous-auth=false"]);
        using var admin = HttpsProbe.Client(_files.Path("ca.crt"), _files.Path("admin.crt"), _files.Path("admin.key"));
        await HttpsProbe.WaitAsync(admin, Url("/readyz"), status => status == 200, apiserver);
        using var anonymous = HttpsProbe.Client(_files.Path("ca.crt"));
        Assert.Equal(401, (await HttpsProbe.WaitAsync(anonymous, Url("/livez"), _ => true)).Status);

        Assert.Equal(0, await apiserver.TerminateAsync());
    }

    /// <summary>The machine's kubectl of the newest minor it has (kubectl.1.33 beside the kubectl on the PATH).</summary>
    private static async Task<(int ExitCode, string Output, string Error)> KubectlAsync(string kubeconfig, params string[] args)
    {
        var onPath = Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(d => Path.Join(d, "kubectl")).First(File.Exists);
        var folder = Path.GetDirectoryName(Path.GetFullPath(new FileInfo(onPath).ResolveLinkTarget(true)?.FullName ?? onPath))!;
        var kubectl = Path.Join(folder, "kubectl.1.33") is var versioned && File.Exists(versioned) ? versioned : onPath;
        var start = new ProcessStartInfo(kubectl) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["--kubeconfig", kubeconfig, "--request-timeout=10s", .. args]) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await output).Trim(), (await error).Trim());
    }

    public void Dispose() => _files.Dispose();
}
