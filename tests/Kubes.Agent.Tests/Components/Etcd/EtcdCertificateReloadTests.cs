using Kubes.Agent.Pki;
using Kubes.Agent.Processes;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Agent.Tests.Components.Etcd;

/// <summary>
/// What a renewal does to a running etcd (Debian's, on this machine): the agent installs new keys and certificates, the
/// member's steps run again and restart nothing, and every member presents its new certificate to new connections on
/// its client port and its peer port, and the cluster stays healthy over new connections made with them.
/// </summary>
public sealed class EtcdCertificateReloadTests(EtcdClusterFixture cluster) : IClassFixture<EtcdClusterFixture>
{
    [Fact]
    public async Task Renewed_member_certificates_are_served_by_the_running_members_without_a_restart()
    {
        var pids = cluster.Members.Select(m => m.Services.ProcessIdOf("etcd")).ToList();
        var before = cluster.Members.Select(m => Served(m, cluster.ClientPort).SerialNumber).ToList();

        foreach (var member in cluster.Members)
        {
            var renewed = Assert.Single((await RenewAsync(member)).Installed);
            Assert.True(renewed.Renewed);
            Assert.Empty(await member.RunStepsAgainAsync());
        }

        for (var i = 0; i < cluster.Members.Count; i++)
        {
            var member = cluster.Members[i];
            using var installed = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(
                File.ReadAllText(member.Layout.CertificateFile));
            Assert.NotEqual(before[i], installed.SerialNumber);
            Assert.Equal(installed.SerialNumber, Served(member, cluster.ClientPort).SerialNumber);
            Assert.Equal(installed.SerialNumber, Served(member, cluster.PeerPort).SerialNumber);
            Assert.Equal(pids[i], member.Services.ProcessIdOf("etcd"));
        }

        var layout = cluster.Members[0].Layout;
        var health = await new CommandRunner().RunAsync("etcdctl",
            [$"--endpoints={layout.ClientUrl}", $"--cacert={layout.CaFile}", $"--cert={layout.CertificateFile}", $"--key={layout.KeyFile}",
             "--command-timeout=10s", "endpoint", "health", "--cluster"],
            new Dictionary<string, string> { ["ETCDCTL_API"] = "3" }, CancellationToken.None);
        Assert.True(health.ExitCode == 0, health.StandardOutput + health.StandardError);
    }

    private System.Security.Cryptography.X509Certificates.X509Certificate2 Served(EtcdClusterFixture.Member member, int port) =>
        ServedCertificate.Of(System.Net.IPAddress.Parse(member.Config.PrivateIp), port, member.Layout.CertificateFile,
            member.Layout.KeyFile);

    /// <summary>The agent's own enrollment at a moment its certificate is due: a new key, a CSR, the new files installed.</summary>
    private async Task<Enrollment> RenewAsync(EtcdClusterFixture.Member member)
    {
        var registrar = new TestRegistrar(cluster.Ca, "t", _ => member.Config.Clone());
        var joined = await registrar.Join(new JoinRequest { Identity = new InstanceIdentity { InstanceId = member.Config.Name, JoinToken = "t" } });
        // The test CA's certificates last 7 days: in 6, every one is past three quarters of its validity.
        var later = new ManualClock(DateTimeOffset.UtcNow.AddDays(6));
        var enrollment = new CertificateEnrollment(new KeyStore(member.Pki), member.Pki, later, NullLogger<CertificateEnrollment>.Instance);
        return await enrollment.EnrollAsync(member.Config, member.Config.Name, joined.AgentCredential, registrar.AsChannel(),
            CancellationToken.None);
    }
}
