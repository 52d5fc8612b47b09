using System.Text.Json;
using Kubes.Controller.Pki.Store;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.Cli.Commands;

/// <summary>'kubes certs' as an operator runs it against a local cluster's state folder: exit codes 0, 1 and 2.</summary>
public sealed class CertsCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string State => Path.Join(_folder.Path, "state");

    private string SpecFile(string certificateLifetime = "365d")
    {
        var path = Path.Join(_folder.Path, "cluster.yaml");
        File.WriteAllText(path, ClusterSpecWriter.Write(ClusterSpecDefaults.Local("certs") with { StateStore = State })
            .Replace("certificateLifetime: 365d", $"certificateLifetime: {certificateLifetime}"));
        return path;
    }

    private async Task IssuedAsync()
    {
        var store = new FolderStateStore(State);
        using (await new ClusterPkiRepository(store, _ => "a long enough passphrase").LoadOrCreateAsync(ClusterSpecDefaults.Local("certs"),
                   CancellationToken.None))
        {
        }
        var now = DateTimeOffset.UtcNow;
        var record = new IssuanceRecord(store);
        await record.RecordAsync(new IssuedCertificateEntry("i-0etcd0", "etcd-0", "etcd-member/etcd-0", "CN=etcd-0", "CN=kubes-certs-etcd-ca",
            "0A", now.AddDays(-1), now.AddDays(364), now.AddDays(-1)));
        await record.RecordAsync(new IssuedCertificateEntry("i-0node0", "node-0", "kubelet-client/node-0", "CN=system:node:node-0",
            "CN=kubes-certs-kubernetes-ca", "0B", now.AddMinutes(-3), now.AddSeconds(10), now.AddMinutes(-3)));
    }

    [Fact]
    public async Task Lists_every_certificate_and_the_CAs_and_flags_a_short_one()
    {
        await IssuedAsync();

        var table = await CommandLine.RunAsync($"certs -f {SpecFile()}");
        var json = await CommandLine.RunAsync($"certs -f {SpecFile()} -o json");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("etcd-member/etcd-0", table.Stdout);
        Assert.Contains("kubes-certs-front-proxy-ca", table.Stdout);
        Assert.Contains("1 flagged", table.Stdout);
        Assert.True(json.ExitCode == 0, json.ToString());
        var certificates = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("certificates").EnumerateArray().ToList();
        Assert.Equal(["etcd-member/etcd-0", "kubelet-client/node-0"], certificates.Select(c => c.GetProperty("identity").GetString()));
        Assert.Equal(363, certificates[0].GetProperty("daysLeft").GetInt64());
        Assert.Equal(["none", "expiring"], certificates.Select(c => c.GetProperty("flag").GetString()));
    }

    [Fact]
    public async Task A_cluster_that_was_never_up_is_a_failure_that_says_what_to_run()
    {
        var outcome = await CommandLine.RunAsync($"certs -f {SpecFile()}");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("has no CAs in", outcome.Stderr);
        Assert.Contains("'kubes up'", outcome.Stderr);
    }

    [Fact]
    public async Task A_spec_with_a_lifetime_that_is_not_one_is_bad_input_with_its_line()
    {
        var outcome = await CommandLine.RunAsync($"certs -f {SpecFile(certificateLifetime: "1y")}");

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("spec.pki.certificateLifetime: '1y' is not a lifetime", outcome.Stderr);
        Assert.Matches(@"cluster\.yaml:\d+:\d+: spec\.pki\.certificateLifetime", outcome.Stderr);
    }
}
