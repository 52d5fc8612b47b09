using Kubes.Controller.Operations.Ssh;
using Kubes.Controller.Tests.Operations.Access;
using Kubes.Controller.Tests.Pki.Support;
using Kubes.Protos.Ssh;

namespace Kubes.Controller.Tests.Operations.Ssh;

/// <summary>
/// <c>kubes ssh-config</c> on a cluster's state folder: what it writes is read by the real ssh (<c>ssh -G</c> prints the
/// options it would use) and ssh-keygen; no host key is accepted but the cluster's host CA's certificates.
/// </summary>
public sealed class OperatorSshConfigTests : IDisposable
{
    private readonly AccessWorld _world = new();

    private string ConfigFile => _world.Folder.Combine("dot ssh/config");

    [Fact]
    public async Task Every_instance_is_reached_through_the_bastion_checking_only_the_cluster_s_host_CA()
    {
        using var pki = await _world.PkiAsync();
        await _world.JoinBastionAsync();

        var written = await new OperatorSshConfig(_world.Session).WriteAsync(ConfigFile, CancellationToken.None);

        Assert.Contains("etcd-0.seam", written.Aliases);
        Assert.Equal("bastion-0.seam", written.Aliases[0]);
        var etcd = Effective("etcd-0.seam");
        var etcdSlot = _world.Session.Topology.FindSlot(Kubes.Controller.Topology.InstanceRole.Etcd, 0)!;
        Assert.Equal(etcdSlot.PrivateIp!.ToString(), etcd["hostname"]);
        Assert.Equal("etcd-0.seam.kubes.internal", etcd["hostkeyalias"]);
        Assert.Equal("bastion-0.seam", etcd["proxyjump"]);
        Assert.Equal("true", etcd["stricthostkeychecking"]);
        Assert.Equal("kubes", etcd["user"]);
        Assert.Equal("/dev/null", etcd["globalknownhostsfile"]);
        Assert.Equal(Path.Join(written.Folder, "known_hosts"), etcd["userknownhostsfile"].Trim('"'));
        Assert.Equal("yes", etcd["identitiesonly"]);
        var bastion = Effective("bastion-0.seam.kubes.internal");
        Assert.Equal(AccessWorld.BastionPublicAddress.ToString(), bastion["hostname"]);
        Assert.Equal("bastion-0.seam.kubes.internal", bastion["hostkeyalias"]);
        Assert.False(bastion.ContainsKey("proxyjump"));

        Assert.Equal($"@cert-authority *.seam.kubes.internal {pki.SshHost.PublicKey.ToLine()}\n",
            await File.ReadAllTextAsync(Path.Join(written.Folder, "known_hosts")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Join(written.Folder, "id_ecdsa")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(written.Folder));
    }

    [Fact]
    public async Task The_operator_s_certificate_is_a_short_lived_user_certificate_for_the_operators_principal_only()
    {
        using var pki = await _world.PkiAsync();
        await _world.JoinBastionAsync();

        var written = await new OperatorSshConfig(_world.Session).WriteAsync(ConfigFile, CancellationToken.None);

        var line = await File.ReadAllTextAsync(Path.Join(written.Folder, "id_ecdsa-cert.pub"));
        var listed = SshKeygen.List(_world.Folder, line.Trim());
        Assert.True(listed.ExitCode == 0, listed.Output);
        Assert.Contains("user certificate", listed.StandardOutput);
        var certificate = SshCertificate.Parse(line);
        Assert.Equal(["kubes-admin"], certificate.Principals);
        Assert.Equal(["permit-port-forwarding", "permit-pty"], certificate.Extensions);
        Assert.True(certificate.SignatureKey.SameKeyAs(pki.SshUser.PublicKey));
        Assert.Equal(_world.Session.Topology.Spec.Ssh.UserCertificateLifetime.Value + TimeSpan.FromMinutes(5),
            certificate.ValidBefore - certificate.ValidAfter);
        var derived = SshKeygen.Run("-y", "-f", Path.Join(written.Folder, "id_ecdsa"));
        Assert.True(derived.ExitCode == 0, derived.Output);
        Assert.True(SshPublicKey.Parse(derived.StandardOutput).SameKeyAs(certificate.Key));
    }

    [Fact]
    public async Task Written_twice_and_removed_the_operator_s_own_file_is_as_it_was()
    {
        using var pki = await _world.PkiAsync();
        await _world.JoinBastionAsync();
        Directory.CreateDirectory(Path.GetDirectoryName(ConfigFile)!);
        const string own = "Host github.com\n    User git\n\nHost *\n    ServerAliveInterval 30\n";
        await File.WriteAllTextAsync(ConfigFile, own);
        var config = new OperatorSshConfig(_world.Session);

        await config.WriteAsync(ConfigFile, CancellationToken.None);
        var once = await File.ReadAllTextAsync(ConfigFile);
        await config.WriteAsync(ConfigFile, CancellationToken.None);
        var twice = await File.ReadAllTextAsync(ConfigFile);

        Assert.EndsWith(own, once, StringComparison.Ordinal);
        Assert.Equal(once.Length, twice.Length);
        Assert.Equal("git", Effective("github.com")["user"]);
        Assert.True(await config.RemoveAsync(ConfigFile, CancellationToken.None));
        Assert.Equal(own, await File.ReadAllTextAsync(ConfigFile));
        Assert.False(Directory.Exists(config.FolderFor(ConfigFile)));
        Assert.False(await config.RemoveAsync(ConfigFile, CancellationToken.None));
    }

    /// <summary>ssh's effective options for a host of the written file, as <c>ssh -G</c> prints them (lower-case keywords).</summary>
    private Dictionary<string, string> Effective(string host)
    {
        var run = HostTool.Run("ssh", "-G", "-F", ConfigFile, host);
        Assert.True(run.ExitCode == 0, run.Output);
        return run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2))
            .GroupBy(parts => parts[0])
            .ToDictionary(g => g.Key, g => g.First().Length > 1 ? g.First()[1] : "");
    }

    public void Dispose() => _world.Dispose();
}
