using System.Diagnostics;
using Kubes.Controller.Components.Sshd;
using Kubes.Controller.Operations.Access;
using Kubes.Controller.Pki.Store;
using Kubes.Controller.Providers;

namespace Kubes.Controller.Operations.Ssh;

/// <summary>
/// <c>kubes ssh</c> and <c>kubes ssh-config</c>: a key made on the operator's machine, its user certificate signed by the
/// cluster's SSH user CA in this process (the CA key is decrypted in memory, never written), a known_hosts of the cluster
/// that trusts its SSH host CA and nothing else, and the Host entries that reach every instance through the bastion.
/// </summary>
public sealed class SshAccess(IClusterSession session, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Writes the key, its certificate and the known_hosts into <paramref name="folder"/>; returns the client configuration.</summary>
    public async Task<SshClientConfig> PrepareAsync(string folder, string purpose, CancellationToken cancellationToken)
    {
        var spec = session.Topology.Spec;
        var hosts = new ClusterHosts(session);
        var bastionSlot = hosts.BastionSlot();
        var all = await hosts.ListAsync(cancellationToken);
        var bastionAddress = await hosts.BastionAddressAsync(cancellationToken);
        using var pki = await new ClusterPkiRepository(session.Store).LoadExistingAsync(spec, cancellationToken);
        var certificate = OperatorSshKey.Issue(folder, pki.SshUser, SshdComponent.OperatorPrincipal,
            $"{Environment.UserName}@{Environment.MachineName} {purpose} cluster {spec.Name}", _clock.GetUtcNow(),
            spec.Ssh.UserCertificateLifetime.Value);
        var config = new SshClientConfig(spec.Name, session.Topology.DnsDomain, SshdComponent.LoginUser,
            all.Single(h => h.Name == bastionSlot.Name), bastionAddress, all, pki.SshHost.PublicKey,
            Path.Join(folder, OperatorSshKey.KeyFileName), Path.Join(folder, OperatorSshKey.CertificateFileName),
            Path.Join(folder, "known_hosts"))
        {
            ValidUntil = certificate.ValidBefore,
        };
        PrivateFiles.Write(config.KnownHostsFile, config.KnownHosts(),
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return config;
    }

    /// <summary>
    /// <c>kubes ssh HOST [-- COMMAND]</c>: ssh with a key and certificate made for this session, which are removed when it
    /// ends; returns ssh's exit code.
    /// </summary>
    public async Task<int> RunAsync(string host, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var target = await new ClusterHosts(session).FindAsync(host, cancellationToken);
        var folder = Path.Join(Path.GetTempPath(), $"kubes-ssh-{Guid.NewGuid():N}");
        try
        {
            var config = await PrepareAsync(folder, $"kubes ssh {target.Name}", cancellationToken);
            var configFile = Path.Join(folder, "config");
            PrivateFiles.Write(configFile, config.HostEntries(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var start = new ProcessStartInfo("ssh") { UseShellExecute = false };
            foreach (var argument in SshArguments(configFile, config.AliasOf(target), command)) start.ArgumentList.Add(argument);
            using var ssh = Process.Start(start) ?? throw new AccessException("ssh could not be started: install OpenSSH's client");
            await ssh.WaitForExitAsync(cancellationToken);
            return ssh.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new AccessException($"ssh could not be started ({e.Message}): install OpenSSH's client (apt-get install openssh-client)");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>ssh with only the cluster's configuration file (the jump reads it too), no prompt of any kind.</summary>
    public static IReadOnlyList<string> SshArguments(string configFile, string alias, IReadOnlyList<string> command) =>
        ["-F", configFile, "-o", "BatchMode=yes", "--", alias, .. command];
}
