using System.Text.Json;
using Kubes.Controller.Artifacts;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Artifacts.Support;
using Kubes.Controller.Tests.EndToEnd;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.Cli.Commands;

/// <summary>'kubes artifacts mirror|import' as an operator runs them: exit codes 0, 1 and 2 and what they print.</summary>
public sealed class ArtifactsCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string SpecFile(string baseUrl = "")
    {
        var defaults = ClusterSpecDefaults.Local("arts");
        var path = Path.Join(_folder.Path, "cluster.yaml");
        File.WriteAllText(path, ClusterSpecWriter.Write(defaults with
        {
            StateStore = Path.Join(_folder.Path, "state"),
            Artifacts = new ArtifactsSpec { BaseUrl = baseUrl },
        }));
        return path;
    }

    private string Bundle(IReadOnlyDictionary<string, string>? listed = null) =>
        ImportBundle.Write(Path.Join(_folder.Path, "bundle"), ImportBundle.KubernetesStandIns(KubernetesVersions.Default, CpuArchitecture.OfThisMachine()), listed);

    [Fact]
    public async Task Import_prints_each_file_and_what_is_still_missing_and_exits_0()
    {
        var outcome = await CommandLine.RunAsync($"artifacts import {Bundle()} -f {SpecFile()}");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("kube-apiserver", outcome.Stdout);
        Assert.Equal(6, outcome.Stdout.Split('\n').Count(l => l.Contains(" Imported ")));
        // etcd and a node's runtime are this machine's packages, crictl an operator's tool the local provider goes without;
        // the pod network's manifest (Calico's, the spec's; not Flannel's) is still to be provided.
        var missing = Assert.Single(outcome.Stdout.Split('\n'), l => l.Contains("missing:"));
        Assert.StartsWith("missing: calico-manifest 3.32.1 linux/", missing.Trim());
        Assert.Equal("", outcome.Stderr);
    }

    [Fact]
    public async Task Import_as_json_lists_every_file_and_the_missing_ones()
    {
        var outcome = await CommandLine.RunAsync($"artifacts import {Bundle()} -f {SpecFile()} -o json");

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var json = JsonDocument.Parse(outcome.Stdout).RootElement;
        Assert.Equal("1.36.3", json.GetProperty("kubernetesVersion").GetString());
        Assert.True(json.GetProperty("succeeded").GetBoolean());
        Assert.All(json.GetProperty("artifacts").EnumerateArray(), a => Assert.Equal("imported", a.GetProperty("outcome").GetString()));
        Assert.Equal(["calico-manifest"], json.GetProperty("missing").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Import_with_a_wrong_digest_exits_1_naming_the_file_and_imports_nothing()
    {
        var outcome = await CommandLine.RunAsync($"artifacts import {Bundle(new Dictionary<string, string> { ["kubectl"] = new('f', 64) })} -f {SpecFile()}");

        Assert.True(outcome.ExitCode == 1, outcome.ToString());
        Assert.Contains($"error: kubectl 1.36.3 linux/{CpuArchitecture.OfThisMachine()}: its SHA-256 is ", outcome.Stderr);
        Assert.Contains("refused", outcome.Stderr);
        Assert.False(Directory.Exists(Path.Join(_folder.Path, "state", "artifacts", "pins")));
    }

    [Fact]
    public async Task Import_without_sha256sums_exits_2()
    {
        var folder = Directory.CreateDirectory(Path.Join(_folder.Path, "empty")).FullName;

        var outcome = await CommandLine.RunAsync($"artifacts import {folder} -f {SpecFile()}");

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains($"error: {folder}/SHA256SUMS does not exist", outcome.Stderr);
        Assert.Contains("Nothing was imported.", outcome.Stderr);
    }

    [Theory]
    [InlineData("artifacts import /tmp --arch sparc", "--arch sparc is not an architecture of the catalogue; use amd64 or arm64")]
    [InlineData("artifacts import /tmp --arch amd64 --arch arm64", "import takes the files of one architecture")]
    [InlineData("artifacts mirror --arch riscv64", "--arch riscv64 is not an architecture")]
    public async Task Bad_architectures_exit_2(string line, string expected)
    {
        var outcome = await CommandLine.RunAsync($"{line} -f {SpecFile()}");

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains(expected, outcome.Stderr);
    }

    [Theory]
    [InlineData("http://mirror.example.com/kubes", "must be an https:// URL")]
    [InlineData("mirror.example.com", "must be an absolute https:// URL")]
    [InlineData("https://mirror.example.com/kubes?token=1", "must have no user, query or fragment")]
    public async Task A_mirror_site_that_is_not_plain_https_is_a_spec_error_with_its_path_and_line(string baseUrl, string expected)
    {
        var spec = SpecFile(baseUrl);
        var line = File.ReadAllLines(spec).ToList().FindIndex(l => l.TrimStart().StartsWith("baseUrl:", StringComparison.Ordinal)) + 1;

        var outcome = await CommandLine.RunAsync($"artifacts mirror -f {spec}");

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains($"{spec}:{line}:", outcome.Stderr);
        Assert.Contains($"spec.artifacts.baseUrl: {expected}", outcome.Stderr);
    }

    /// <summary>
    /// The real kubes process trusts the site's own CA only through SSL_CERT_FILE, as .NET on Linux reads it (OpenSSL's
    /// variable): without it the same mirror fails on the certificate, with it every file is mirrored.
    /// </summary>
    [Fact]
    public async Task Mirror_trusts_the_system_store_which_ssl_cert_file_sets()
    {
        await using var site = await ReleaseSite.StartAsync();
        FakeRelease.For(KubernetesVersions.Default).PublishTo(site);
        var spec = SpecFile(site.BaseUrl);
        var timeout = TimeSpan.FromMinutes(2);

        var untrusted = await KubesProcess.RunAsync(_folder.Path, timeout, "artifacts", "mirror", "-f", spec);
        Assert.True(untrusted.ExitCode == 1, untrusted.ToString());
        Assert.Contains("error: kube-apiserver 1.36.3 linux/", untrusted.Stderr);
        Assert.True(untrusted.Stderr.Contains("The SSL connection could not be established: The remote certificate is invalid because of errors in the certificate chain"),
            untrusted.ToString());

        var trusted = await KubesProcess.RunAsync(_folder.Path, timeout,
            new Dictionary<string, string> { ["SSL_CERT_FILE"] = site.WriteCaPem(_folder.Path) }, "artifacts", "mirror", "-f", spec, "-o", "json");
        Assert.True(trusted.ExitCode == 0, trusted.ToString());
        var rows = JsonDocument.Parse(trusted.Stdout).RootElement.GetProperty("artifacts").EnumerateArray().ToList();
        // The six Kubernetes programs and crictl; etcd and a node's runtime are this machine's packages.
        Assert.Equal(8, rows.Count(r => r.GetProperty("outcome").GetString() == "mirrored"));
        Assert.All(["etcd", "containerd", "runc", "cni-plugins"], name =>
            Assert.Equal("ignored", rows.Single(r => r.GetProperty("name").GetString() == name).GetProperty("outcome").GetString()));
        Assert.Contains("downloading kube-apiserver 1.36.3 linux/", trusted.Stderr);
    }
}
