using Kubes.Agent.Processes;
using Kubes.Agent.Services;

namespace Kubes.Agent.Tests.Components.Etcd;

/// <summary>The etcd component against real etcd: a 3-member TLS cluster on loopback addresses.</summary>
public sealed class EtcdComponentTests(EtcdClusterFixture cluster) : IClassFixture<EtcdClusterFixture>
{
    private static async Task<(int ExitCode, string Output)> EtcdctlAsync(params string[] arguments)
    {
        var result = await new CommandRunner().RunAsync("etcdctl", arguments,
            new Dictionary<string, string> { ["ETCDCTL_API"] = "3" }, CancellationToken.None);
        return (result.ExitCode, result.StandardOutput + result.StandardError);
    }

    private string[] WithCertificate(int member, params string[] command)
    {
        var layout = cluster.Members[member].Layout;
        return [$"--endpoints={layout.ClientUrl}", $"--cacert={layout.CaFile}", $"--cert={layout.CertificateFile}", $"--key={layout.KeyFile}",
            "--command-timeout=10s", .. command];
    }

    [Fact]
    public async Task The_three_members_form_one_healthy_TLS_cluster()
    {
        var (exitCode, output) = await EtcdctlAsync(WithCertificate(0, "endpoint", "health", "--cluster"));

        Assert.True(exitCode == 0, output);
        foreach (var address in cluster.Addresses)
        {
            Assert.Contains($"https://{address}:{cluster.ClientPort} is healthy", output);
        }

        var members = await EtcdctlAsync(WithCertificate(1, "member", "list"));
        Assert.Equal(EtcdClusterFixture.Size, members.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task A_write_on_one_member_is_read_on_another()
    {
        var key = "/kubes/test/" + Guid.NewGuid().ToString("N");

        Assert.Equal(0, (await EtcdctlAsync(WithCertificate(0, "put", key, "hello"))).ExitCode);
        var read = await EtcdctlAsync(WithCertificate(2, "get", key, "--print-value-only", "--consistency=l"));

        Assert.Equal("hello", read.Output.Trim());
    }

    [Fact]
    public async Task A_client_without_a_certificate_is_refused()
    {
        var layout = cluster.Members[0].Layout;

        var (exitCode, output) = await EtcdctlAsync($"--endpoints={layout.ClientUrl}", $"--cacert={layout.CaFile}",
            "--command-timeout=5s", "--dial-timeout=3s", "get", "/anything");
        using var plain = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        });

        Assert.NotEqual(0, exitCode);
        Assert.DoesNotContain("/anything", output.Split('\n').Where(l => !l.Contains("Error")));
        await Assert.ThrowsAsync<HttpRequestException>(() => plain.GetAsync($"{layout.ClientUrl}/health"));
    }

    [Fact]
    public async Task A_member_killed_with_SIGKILL_is_restarted_and_healthy_again()
    {
        var member = cluster.Members[1];
        var before = member.Services.ProcessIdOf("etcd") ?? throw new InvalidOperationException("etcd-1 is not running");

        Posix.Kill(before, Posix.SigKill);
        int? after = null;
        for (var i = 0; i < 200 && (after is null || after == before); i++)
        {
            await Task.Delay(100);
            after = member.Services.ProcessIdOf("etcd");
        }

        Assert.NotNull(after);
        Assert.NotEqual(before, after);
        Assert.True((await EtcdClusterFixture.WaitHealthyAsync(member)).Healthy);
    }

    [Fact]
    public async Task Running_the_steps_again_resumes_and_changes_nothing()
    {
        var member = cluster.Members[2];
        var pid = member.Services.ProcessIdOf("etcd");

        Assert.Empty(await member.RunStepsAgainAsync());
        Assert.Equal(pid, member.Services.ProcessIdOf("etcd"));
    }

    [Fact]
    public async Task The_installed_unit_and_binaries_live_under_the_members_root()
    {
        var member = cluster.Members[0];
        var unit = await File.ReadAllTextAsync(Path.Join(member.Paths.UnitDir, "etcd.service"));

        Assert.Contains($"--data-dir={member.Paths.Under("/data/etcd")}", unit);
        Assert.Contains("--client-cert-auth", unit);
        Assert.True(File.Exists(Path.Join(member.Paths.BinDir, "etcd")));
        Assert.True(File.Exists(Path.Join(member.Paths.Under("/data/etcd"), "member", "wal", "0000000000000000-0000000000000000.wal")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(member.Layout.KeyFile));
    }
}
