using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.State;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.EndToEnd;

/// <summary>
/// A local cluster whose certificates last three minutes: every agent renews each of its certificates before it expires,
/// without the operator; etcd serves the new ones on its client port without a restart while a client keeps writing; and
/// <c>kubes certs</c> lists them all and flags those of an agent that was stopped before it could renew. Addresses come
/// from the topology, whatever network the local provider gives its instances.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class CertificateRenewalTests : IDisposable
{
    private static readonly TimeSpan Slow = TimeSpan.FromMinutes(6);
    private readonly TempFolder _folder = new();
    private readonly string _spec;
    private readonly ClusterTopology _topology;

    public CertificateRenewalTests()
    {
        var defaults = ClusterSpecDefaults.Local($"e2er{Random.Shared.Next(1000, 9999)}");
        var cluster = defaults with
        {
            StateStore = Path.Join(_folder.Path, "state"),
            Bastion = defaults.Bastion with { Count = 0 },
            Controllers = defaults.Controllers with { Count = 1 },
            Nodes = defaults.Nodes with { Count = 1, Min = 1 },
            Pki = defaults.Pki with { CertificateLifetime = Lifetime.FromMinutes(3) },
        };
        _topology = ClusterTopology.From(cluster);
        _spec = Path.Join(_folder.Path, "cluster.yaml");
        File.WriteAllText(_spec, ClusterSpecWriter.Write(cluster));
        // Kubernetes' programs as an air-gapped operator provides them: here the test stand-ins.
        StandInImport.IntoAsync(_folder.Path, "-f", _spec).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        KubesProcess.RunAsync(_folder.Path, Slow, "destroy", "-f", _spec, "--yes").GetAwaiter().GetResult();
        _folder.Dispose();
    }

    [Fact]
    public async Task Every_certificate_is_renewed_before_it_expires_etcd_serves_the_new_ones_and_kubes_certs_flags_an_agent_that_did_not()
    {
        var up = await KubesProcess.RunAsync(_folder.Path, Slow, "up", "-f", _spec, "--wait-minutes", "5");
        Assert.True(up.ExitCode == 0, up.ToString());
        var members = _topology.SlotsOf(InstanceRole.Etcd).Select(slot => (slot.Name, Address: slot.PrivateIp!)).ToList();
        var etcd = members.ToDictionary(m => m.Name, m => Assert.Single(LocalClusterTests.ProcessesUnder(Instance(m.Name, "usr", "local", "bin", "etcd"))));
        var first = members.ToDictionary(m => m.Name, m => Served(m.Address));
        // node-0's agent stops before any renewal (the first comes two thirds of the way through three minutes): its certificates
        // will go unrenewed.
        var node = Assert.Single(AgentProcesses("node-0"));
        Signal(node, "STOP");
        using var writer = new EtcdWriter(Client(members[0].Address));
        var writing = writer.RunAsync();
        IReadOnlyList<Issued> issued;
        try
        {
            // Until every running holder renewed each certificate and every member's first certificate expired: from then on
            // only the new ones can serve.
            issued = await WaitUntilAsync(all => all.Where(c => c.Name != "node-0" && IsX509(c)).GroupBy(c => (c.Instance, c.Identity)).All(g => g.Count() >= 2)
                                                 && DateTimeOffset.UtcNow > first.Values.Max(c => c.NotAfter).AddSeconds(2));
            var newest = Newest(issued);

            foreach (var (name, address) in members)
            {
                var served = Served(address);
                var member = newest.Single(c => c.Identity == $"etcd-member/{name}");
                Assert.Equal(member.SerialNumber, served.SerialNumber);
                Assert.Equal(member.NotAfter, served.NotAfter);
                Assert.True(served.NotAfter > first[name].NotAfter, $"{name} still serves a certificate until {served.NotAfter:o}");
                Assert.Equal([etcd[name]], LocalClusterTests.ProcessesUnder(Instance(name, "usr", "local", "bin", "etcd")));
            }

            var health = await EtcdCtl.RunAsync([.. Client(members[0].Address), "endpoint", "health", "--cluster"]);
            Assert.True(health.ExitCode == 0, health.Output);
            Assert.Equal(members.Count, health.Output.Split('\n').Count(l => l.Contains("is healthy")));

            var certs = await KubesProcess.RunAsync(_folder.Path, Slow, "certs", "-f", _spec, "-o", "json");
            Assert.True(certs.ExitCode == 0, certs.ToString());
            var listed = JsonDocument.Parse(certs.Stdout).RootElement;
            var rows = listed.GetProperty("certificates").EnumerateArray().ToList();
            Assert.Equal(newest.Select(c => (c.Instance, c.Identity)).Order(),
                rows.Select(r => (r.GetProperty("instance").GetString()!, r.GetProperty("identity").GetString()!)).Order());
            Assert.All(rows.Where(r => !r.GetProperty("identity").GetString()!.StartsWith("ssh-host/", StringComparison.Ordinal)),
                r => Assert.True(r.GetProperty("daysLeft").GetInt64() <= 0));
            Assert.Equal(["kube-proxy/node-0", "kubelet-client/node-0", "kubelet-serving/node-0"],
                rows.Where(r => r.GetProperty("flag").GetString() is "expiring" or "expired")
                    .Select(r => r.GetProperty("identity").GetString()).Order());
            Assert.All(listed.GetProperty("authorities").EnumerateArray(), ca => Assert.Equal("none", ca.GetProperty("flag").GetString()));
            var table = await KubesProcess.RunAsync(_folder.Path, Slow, "certs", "-f", _spec);
            Assert.Contains("3 flagged", table.Stdout);
        }
        finally
        {
            Signal(node, "CONT");
        }

        // Thawed, node-0's agent renews at once what expired while it was stopped.
        issued = await WaitUntilAsync(all => all.Where(c => c.Name == "node-0" && IsX509(c)).GroupBy(c => c.Identity).All(g => g.Count() >= 2));
        writer.Stop();
        var (acknowledged, failed) = await writing;

        foreach (var history in issued.Where(c => c.Name != "node-0").GroupBy(c => (c.Instance, c.Identity)))
        {
            foreach (var (before, after) in history.Zip(history.Skip(1)))
            {
                Assert.True(after.IssuedAt < before.NotAfter,
                    $"{history.Key.Identity} of {history.Key.Instance} was renewed at {after.IssuedAt:o}, after it expired at {before.NotAfter:o}");
            }
        }
        Assert.True(acknowledged.Count > 30, $"only {acknowledged.Count} writes were acknowledged ({failed} failed)");
        Assert.True(failed <= 3, $"{failed} of {acknowledged.Count + failed} writes failed while certificates were renewed");
        foreach (var key in acknowledged)
        {
            var read = await EtcdCtl.RunAsync([.. Client(members[^1].Address), "get", key, "--print-value-only"]);
            Assert.True(read.ExitCode == 0 && read.Output.Trim() == "acknowledged", $"{key}: {read.Output}");
        }
    }

    private sealed record Issued(string Instance, string Name, string Identity, string SerialNumber, DateTimeOffset NotAfter,
        DateTimeOffset IssuedAt, string Flag);

    /// <summary>The X.509 certificates this test shortens; an SSH host certificate (<c>ssh-host/...</c>) lives by
    /// spec.ssh, at least ten minutes, and is renewed on its own schedule.</summary>
    private static bool IsX509(Issued certificate) => !certificate.Identity.StartsWith("ssh-host/", StringComparison.Ordinal);

    private static IReadOnlyList<Issued> Newest(IReadOnlyList<Issued> all) =>
        [.. all.Where(c => c.Flag != "superseded")];

    /// <summary>Polls <c>kubes certs --all -o json</c> until <paramref name="done"/> holds; what it listed last.</summary>
    private async Task<IReadOnlyList<Issued>> WaitUntilAsync(Func<IReadOnlyList<Issued>, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (true)
        {
            var run = await KubesProcess.RunAsync(_folder.Path, Slow, "certs", "-f", _spec, "--all", "-o", "json");
            Assert.True(run.ExitCode == 0, run.ToString());
            IReadOnlyList<Issued> all =
            [
                .. JsonDocument.Parse(run.Stdout).RootElement.GetProperty("certificates").EnumerateArray().Select(c => new Issued(
                    c.GetProperty("instance").GetString()!, c.GetProperty("name").GetString()!, c.GetProperty("identity").GetString()!,
                    c.GetProperty("serialNumber").GetString()!, c.GetProperty("notAfter").GetDateTimeOffset(),
                    c.GetProperty("issuedAt").GetDateTimeOffset(), c.GetProperty("flag").GetString()!)),
            ];
            if (done(all)) return all;
            if (DateTime.UtcNow > deadline) Assert.Fail("the certificates never got there:\n" + run.Stdout);
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
    }

    /// <summary>What <c>openssl s_client</c> shows of the certificate an etcd member presents on its client port.</summary>
    private (string SerialNumber, DateTimeOffset NotAfter) Served(IPAddress member)
    {
        var pki = Pki("controller-0");
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var argument in new[]
                 {
                     "s_client", "-connect", $"{member}:2379", "-CAfile", $"{pki}/apiserver-etcd-client-ca.crt",
                     "-cert", $"{pki}/apiserver-etcd-client.crt", "-key", $"{pki}/apiserver-etcd-client.key",
                 })
        {
            start.ArgumentList.Add(argument);
        }
        using var openssl = Process.Start(start)!;
        openssl.StandardInput.Close();
        var output = openssl.StandardOutput.ReadToEnd();
        openssl.WaitForExit();
        // CreateFromPem takes the first CERTIFICATE block of the output: the one the server presented.
        using var certificate = X509Certificate2.CreateFromPem(output);
        return (certificate.SerialNumber, new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
    }

    private string[] Client(IPAddress endpoint)
    {
        var pki = Pki("controller-0");
        return
        [
            $"--endpoints=https://{endpoint}:2379", $"--cacert={pki}/apiserver-etcd-client-ca.crt",
            $"--cert={pki}/apiserver-etcd-client.crt", $"--key={pki}/apiserver-etcd-client.key",
        ];
    }

    private string Pki(string slot) => Instance(slot, "etc", "kubes", "pki");

    private string Instance(string slot, params string[] path) => Path.Join([_folder.Path, "state", "instances", slot, .. path]);

    /// <summary>The agent itself, not its supervisor loop, whose command line names it too.</summary>
    private IEnumerable<int> AgentProcesses(string slot)
    {
        var agent = Instance(slot, "usr", "local", "bin", "kubes-agent");
        return LocalClusterTests.ProcessesUnder(agent).Where(pid =>
            File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Split('\0')[0] == agent);
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>A client that writes a new key every second through etcdctl, as long as it runs; the keys etcd acknowledged.</summary>
    private sealed class EtcdWriter(string[] client) : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();

        public async Task<(List<string> Acknowledged, int Failed)> RunAsync()
        {
            var acknowledged = new List<string>();
            var failed = 0;
            for (var i = 0; !_stop.IsCancellationRequested; i++)
            {
                var key = $"/renewal/{i:D5}";
                var put = await EtcdCtl.RunAsync([.. client, "put", key, "acknowledged"]);
                if (put.ExitCode == 0 && put.Output.Contains("OK", StringComparison.Ordinal)) acknowledged.Add(key);
                else failed++;
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
            return (acknowledged, failed);
        }

        public void Stop() => _stop.Cancel();

        public void Dispose() => _stop.Dispose();
    }
}
