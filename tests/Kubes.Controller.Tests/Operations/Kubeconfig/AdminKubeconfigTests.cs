using System.Text;
using System.Text.Json;
using Kubes.Controller.Cli;
using Kubes.Controller.Local;
using Kubes.Controller.Operations.Kubeconfig;
using Kubes.Controller.Pki;
using Kubes.Controller.Pki.Store;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Cli;
using Kubes.Controller.Tests.Pki.Support;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Operations.Kubeconfig;

/// <summary>
/// <c>kubes kubeconfig</c> on a local cluster whose PKI <c>kubes up</c> made: the file it writes, read back by the real
/// kubectl, its certificate judged by openssl; merged into a kubeconfig that holds another cluster without touching it.
/// </summary>
public sealed class AdminKubeconfigTests : IDisposable
{
    private const string OtherKubeconfig = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: other
          cluster:
            server: https://other.example:443
            insecure-skip-tls-verify: true
        contexts:
        - name: other
          context:
            cluster: other
            user: other-user
            namespace: team-a
        current-context: other
        preferences: {}
        users:
        - name: other-user
          user:
            token: s3cr3t-token
        """;

    private readonly TempFolder _folder = new();
    private readonly ClusterSpec _spec;
    private readonly string _specFile;

    public AdminKubeconfigTests()
    {
        _spec = ClusterSpecDefaults.Local("demo") with { StateStore = _folder.Combine("state") };
        _specFile = _folder.Write("cluster.yaml", ClusterSpecWriter.Write(_spec));
    }

    private ApiEndpoint Endpoint => LocalEndpoints.Of(ClusterTopology.From(_spec)).Api;

    private Task<ClusterPki> PkiAsync() =>
        new ClusterPkiRepository(new FolderStateStore(_spec.StateStore)).LoadOrCreateAsync(_spec, CancellationToken.None);

    [Fact]
    public async Task Out_writes_a_kubeconfig_of_its_own_for_the_ha_endpoint_with_a_short_lived_admin_certificate()
    {
        using var pki = await PkiAsync();
        var file = _folder.Combine("admin.conf");

        var run = await CommandLine.RunAsync($"kubeconfig -f {_specFile} --out {file}");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Stderr);
        Assert.Contains($"Wrote context demo (user demo-admin, server https://{Endpoint.Host}:6443", run.Stdout);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal("demo", Kubectl(file, "config", "current-context").Trim());
        Assert.Equal(["demo"], Contexts(file));
        using var view = View(file);
        var cluster = Single(view, "clusters", "demo").GetProperty("cluster");
        Assert.Equal($"https://{Endpoint.Host}:6443", cluster.GetProperty("server").GetString());
        Assert.Equal("https://10.", cluster.GetProperty("server").GetString()![..11]);
        Assert.Equal(pki.Kubernetes.CertificatePem, Decode(cluster, "certificate-authority-data"));
        var user = Single(view, "users", "demo-admin").GetProperty("user");
        var certificate = Decode(user, "client-certificate-data");
        var verified = Openssl.Verify(_folder, pki.Kubernetes.CertificatePem, certificate, "sslclient");
        Assert.True(verified.ExitCode == 0, verified.Output);
        using var parsed = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(certificate,
            Decode(user, "client-key-data"));
        Assert.True(parsed.HasPrivateKey);
        Assert.Equal("O=system:masters, CN=kubes-admin", parsed.Subject);
        Assert.Equal(TimeSpan.FromHours(18) + CertificateAuthority.ClockSkewAllowance, parsed.NotAfter - parsed.NotBefore);
    }

    [Fact]
    public async Task Merging_keeps_the_other_clusters_users_and_contexts_and_makes_ours_current()
    {
        using var pki = await PkiAsync();
        var file = _folder.Write("config", OtherKubeconfig);
        using var before = View(file);
        var otherCluster = Single(before, "clusters", "other").GetRawText();
        var otherUser = Single(before, "users", "other-user").GetRawText();
        var otherContext = Single(before, "contexts", "other").GetRawText();

        await WriteAsync(KubeconfigTarget.Resolve(null, $"{file}:{_folder.Combine("second")}", "/nonexistent"));

        Assert.Equal(["demo", "other"], Contexts(file));
        Assert.Equal("demo", Kubectl(file, "config", "current-context").Trim());
        using var after = View(file);
        Assert.Equal(otherCluster, Single(after, "clusters", "other").GetRawText());
        Assert.Equal(otherUser, Single(after, "users", "other-user").GetRawText());
        Assert.Equal(otherContext, Single(after, "contexts", "other").GetRawText());
        Assert.Equal($"https://{Endpoint.Host}:6443", Single(after, "clusters", "demo").GetProperty("cluster").GetProperty("server").GetString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.False(File.Exists(_folder.Combine("second")));
    }

    [Fact]
    public async Task Running_again_replaces_only_our_entries()
    {
        using var pki = await PkiAsync();
        var file = _folder.Write("config", OtherKubeconfig);
        var target = KubeconfigTarget.Resolve(null, file, null);
        await WriteAsync(target);
        using var first = View(file);
        var firstCertificate = Decode(Single(first, "users", "demo-admin").GetProperty("user"), "client-certificate-data");
        Kubectl(file, "config", "use-context", "other");

        await WriteAsync(target);

        using var second = View(file);
        Assert.Equal(["demo", "other"], Contexts(file));
        foreach (var list in (string[])["clusters", "users", "contexts"])
            Assert.Equal(2, second.RootElement.GetProperty(list).GetArrayLength());
        Assert.NotEqual(firstCertificate, Decode(Single(second, "users", "demo-admin").GetProperty("user"), "client-certificate-data"));
        Assert.Equal(Single(first, "users", "other-user").GetRawText(), Single(second, "users", "other-user").GetRawText());
    }

    [Fact]
    public void Without_out_the_first_kubeconfig_path_is_used_else_the_home_folders()
    {
        Assert.Equal(new KubeconfigTarget("/a/one", false), KubeconfigTarget.Resolve(null, "/a/one:/b/two", "/home/x"));
        Assert.Equal(new KubeconfigTarget("/home/x/.kube/config", false), KubeconfigTarget.Resolve(null, null, "/home/x"));
        Assert.Equal(new KubeconfigTarget("/home/x/.kube/config", false), KubeconfigTarget.Resolve(null, "", "/home/x"));
        Assert.Equal(new KubeconfigTarget("/c/out", true), KubeconfigTarget.Resolve("/c/out", "/a/one", "/home/x"));
        Assert.Throws<KubeconfigFormatException>(() => KubeconfigTarget.Resolve(null, null, null));
    }

    [Fact]
    public async Task A_file_that_is_not_a_kubeconfig_is_refused_and_left_as_it_was()
    {
        using var pki = await PkiAsync();
        var notYaml = _folder.Write("broken", "clusters: [\n  - name: x\n");
        var notList = _folder.Write("scalar", "apiVersion: v1\nclusters: 7\n");

        var broken = await Assert.ThrowsAsync<KubeconfigFormatException>(() => WriteAsync(KubeconfigTarget.Resolve(null, notYaml, null)));
        var scalar = await Assert.ThrowsAsync<KubeconfigFormatException>(() => WriteAsync(KubeconfigTarget.Resolve(null, notList, null)));

        Assert.Contains($"{notYaml} is not valid YAML", broken.Message);
        Assert.Contains($"{notList}: clusters is not a list", scalar.Message);
        Assert.Equal("clusters: [\n  - name: x\n", File.ReadAllText(notYaml));
    }

    [Fact]
    public async Task Bad_input_is_exit_2_and_a_cluster_not_made_yet_is_exit_1_with_what_to_do()
    {
        var folder = await CommandLine.RunAsync($"kubeconfig -f {_specFile} --out {_folder.Path}");
        var beforeUp = await CommandLine.RunAsync($"kubeconfig -f {_specFile} --out {_folder.Combine("admin.conf")}");
        var lifetime = _folder.Write("long.yaml", ClusterSpecWriter.Write(_spec with
        {
            Pki = _spec.Pki with { AdminCertificateLifetime = Lifetime.FromDays(30) },
        }));
        var tooLong = await CommandLine.RunAsync($"kubeconfig -f {lifetime} --out {_folder.Combine("admin.conf")}");

        Assert.Equal(ExitCodes.BadInput, folder.ExitCode);
        Assert.Contains("is a folder, not a kubeconfig file", folder.Stderr);
        Assert.Equal(ExitCodes.Failure, beforeUp.ExitCode);
        Assert.Contains("create the cluster with 'kubes up' first", beforeUp.Stderr);
        Assert.Equal(ExitCodes.BadInput, tooLong.ExitCode);
        Assert.Contains("spec.pki.adminCertificateLifetime", tooLong.Stderr);
        Assert.False(File.Exists(_folder.Combine("admin.conf")));
    }

    [Fact]
    public async Task Help_says_where_the_kubeconfig_goes()
    {
        var help = await CommandLine.RunAsync("kubeconfig --help");

        Assert.Equal(ExitCodes.Ok, help.ExitCode);
        Assert.Contains("--out", help.Stdout);
        Assert.Contains("$KUBECONFIG", help.Stdout);
        Assert.Contains("adminCertificateLifetime", help.Stdout);
    }

    public void Dispose() => _folder.Dispose();

    private async Task WriteAsync(KubeconfigTarget target)
    {
        using var session = new LocalClusterSession(ClusterTopology.From(_spec), _specFile);
        target.Write(await new AdminCredentialIssuer(session).IssueAsync(CancellationToken.None));
    }

    private static string Kubectl(string kubeconfig, params string[] arguments)
    {
        var result = HostTool.Run("kubectl", [.. arguments, "--kubeconfig", kubeconfig]);
        Assert.True(result.ExitCode == 0, result.Output);
        return result.StandardOutput;
    }

    private static string[] Contexts(string kubeconfig) =>
        [.. Kubectl(kubeconfig, "config", "get-contexts", "-o", "name").Split('\n', StringSplitOptions.RemoveEmptyEntries).Order()];

    private static JsonDocument View(string kubeconfig) => JsonDocument.Parse(Kubectl(kubeconfig, "config", "view", "--raw", "-o", "json"));

    private static JsonElement Single(JsonDocument view, string list, string name) =>
        Assert.Single(view.RootElement.GetProperty(list).EnumerateArray(), e => e.GetProperty("name").GetString() == name);

    private static string Decode(JsonElement element, string field) =>
        Encoding.ASCII.GetString(Convert.FromBase64String(element.GetProperty(field).GetString()!));
}
