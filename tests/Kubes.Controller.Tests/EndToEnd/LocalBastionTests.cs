using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Kubes.Controller.Local.Namespaces;
using Kubes.Controller.Networking;
using Kubes.Controller.Pki;
using Kubes.Controller.Pki.Ssh;
using Kubes.Controller.Pki.Store;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Pki.Support;
using Kubes.Controller.Topology;
using Kubes.Protos.Ssh;
using TempFolder = Kubes.Controller.Tests.State.TempFolder;

namespace Kubes.Controller.Tests.EndToEnd;

/// <summary>
/// The bastion on the local provider, with the real programs: <c>kubes up</c> brings up the bastion (this machine's
/// openvpn and sshd in its own network namespace) and an etcd member with its sshd; an "operator" namespace the test
/// makes runs the real openvpn client with profiles from <c>kubes vpn profile</c>, and the real ssh runs with what
/// <c>kubes ssh-config</c> wrote. One cluster for every check: each costs seconds, the cluster most of a minute.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class LocalBastionTests : IAsyncLifetime
{
    private static readonly TimeSpan Slow = TimeSpan.FromMinutes(5);
    private readonly TempFolder _folder = new();
    private readonly ClusterSpec _cluster;
    private readonly ClusterTopology _topology;
    private readonly string _spec;
    private readonly string _operator = $"kubes-test-op-{Random.Shared.Next(10000, 99999)}";
    private readonly List<Process> _started = [];

    public LocalBastionTests()
    {
        var name = $"vpn{Random.Shared.Next(1000, 9999)}";
        var defaults = ClusterSpecDefaults.Local(name);
        _cluster = defaults with
        {
            StateStore = Path.Join(_folder.Path, "state"),
            Etcd = defaults.Etcd with { Count = 1 },
            Controllers = defaults.Controllers with { Count = 1 },
            Nodes = defaults.Nodes with { Count = 1, Min = 1 },
        };
        _topology = ClusterTopology.From(_cluster);
        _spec = Path.Join(_folder.Path, "cluster.yaml");
        File.WriteAllText(_spec, ClusterSpecWriter.Write(_cluster));
        // Kubernetes' programs as an air-gapped operator provides them: here the test stand-ins.
        StandInImport.IntoAsync(_folder.Path, "-f", _spec).GetAwaiter().GetResult();
    }

    private IPAddress Bastion => _topology.FindSlot(InstanceRole.Bastion, 0)!.PrivateIp!;
    private IPAddress Etcd => _topology.FindSlot(InstanceRole.Etcd, 0)!.PrivateIp!;
    private string SshConfig => Path.Join(_folder.Path, "home", ".ssh", "config");
    private string Instance(string slot) => Path.Join(_cluster.StateStore, "instances", slot);

    public async Task InitializeAsync()
    {
        try
        {
            var up = await KubesProcess.RunAsync(_folder.Path, Slow, "up", "-f", _spec, "--wait-minutes", "4");
            Assert.True(up.ExitCode == 0, up.ToString());
            Assert.Contains("Bastion ready", up.Stdout);
            await OperatorNamespaceAsync();
        }
        catch
        {
            // xunit does not call DisposeAsync when InitializeAsync throws: the cluster must not outlive the test.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _started.Where(p => !p.HasExited)) process.Kill(entireProcessTree: true);
        await Run("ip", "netns", "del", _operator);
        await KubesProcess.RunAsync(_folder.Path, Slow, "destroy", "-f", _spec, "--yes");
        _folder.Dispose();
    }

    [Fact]
    public async Task The_VPN_and_SSH_let_an_operator_in_with_the_cluster_s_certificates_and_nothing_else()
    {
        await SshThroughTheBastionAsync();
        await HostsTheHostCaDidNotCertifyAreRefusedAsync();
        await UserCertificatesForAnotherPrincipalOrExpiredAreRefusedAsync();
        await EveryHostCertificateIsAsThePolicySaysAsync();
        await TheVpnReachesTheVpcAndRefusesRevokedAndForeignProfilesAsync();
    }

    /// <summary>Real ssh with what <c>kubes ssh-config</c> wrote, no prompt possible: it lands on etcd-0 coming from the bastion.</summary>
    private async Task SshThroughTheBastionAsync()
    {
        var written = await KubesProcess.RunAsync(_folder.Path, Slow, "ssh-config", "-f", _spec, "--config", SshConfig);
        Assert.True(written.ExitCode == 0, written.ToString());
        var alias = $"etcd-0.{_cluster.Name}";

        var ssh = await Run("ssh", "-F", SshConfig, "-o", "BatchMode=yes", alias, "echo $SSH_CONNECTION; id -un");

        Assert.True(ssh.ExitCode == 0, ssh.Output);
        var lines = ssh.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"{Bastion} ", lines[0], StringComparison.Ordinal);
        Assert.EndsWith($" {Etcd} 22", lines[0], StringComparison.Ordinal);
        Assert.Equal("kubes", lines[1]);

        var kubesSsh = await KubesProcess.RunAsync(_folder.Path, Slow, "ssh", "-f", _spec, "etcd-0", "--", "echo", "through-kubes-ssh");
        Assert.True(kubesSsh.ExitCode == 0, kubesSsh.ToString());
        Assert.Contains("through-kubes-ssh", kubesSsh.Stdout);
    }

    /// <summary>
    /// An sshd at etcd-0's address (in its namespace, another port) with a host key of its own, then with a certificate of
    /// another host CA for etcd-0's very names: ssh refuses both, asking nothing.
    /// </summary>
    private async Task HostsTheHostCaDidNotCertifyAreRefusedAsync()
    {
        using var keys = new Pki.Support.TempFolder();
        var (keyFile, key) = SshKeygen.NewKey(keys);
        using var otherCa = SshCertificateAuthority.Create("impostor", SshCertificateAuthorityKind.Host);
        var principals = new[] { "etcd-0", Etcd.ToString(), $"etcd-0.{_topology.DnsDomain}" };

        foreach (var (port, certificate) in new[]
                 {
                     (2222, (SshCertificate?)null),
                     (2223, otherCa.Sign(key, "impostor", principals, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1))),
                 })
        {
            var config = keys.Write($"rogue-{port}", string.Join('\n',
                $"ListenAddress {Etcd}:{port}", $"HostKey {keyFile}",
                certificate is null ? "" : $"HostCertificate {keys.Write($"rogue-{port}-cert.pub", certificate.ToLine() + "\n")}",
                $"PidFile {keys.Combine($"rogue-{port}.pid")}", "PasswordAuthentication no", "UsePAM no") + "\n");
            var rogue = Start("ip", "netns", "exec", await NamespaceOfAsync("etcd-0"), "/usr/sbin/sshd", "-D", "-e", "-f", config);
            await WaitForAsync(async () => (await Run("ip", "netns", "exec", await NamespaceOfAsync("bastion-0"), "bash", "-c",
                $"exec 3<>/dev/tcp/{Etcd}/{port}")).ExitCode == 0, $"the rogue sshd on port {port}");

            var ssh = await Run("ssh", "-F", SshConfig, "-o", "BatchMode=yes", "-p", port.ToString(), $"etcd-0.{_cluster.Name}", "true");

            Assert.Equal(255, ssh.ExitCode);
            Assert.Contains("Host key verification failed", ssh.StandardError);
            rogue.Kill(entireProcessTree: true);
        }
    }

    /// <summary>The cluster's own user CA, in this process, signs what an operator must not be able to use.</summary>
    private async Task UserCertificatesForAnotherPrincipalOrExpiredAreRefusedAsync()
    {
        using var pki = await new ClusterPkiRepository(new FolderStateStore(_cluster.StateStore)).LoadExistingAsync(_cluster, CancellationToken.None);
        using var keys = new Pki.Support.TempFolder();
        var now = DateTimeOffset.UtcNow;
        foreach (var (name, principal, from, until) in new[]
                 {
                     ("another-principal", "kubes", now, now.AddHours(1)),
                     ("expired", "kubes-admin", now.AddHours(-2), now.AddHours(-1)),
                 })
        {
            var (keyFile, key) = SshKeygen.NewKey(keys, "ecdsa");
            var certificate = pki.SshUser.Sign(key, name, [principal], from, until, ["permit-port-forwarding", "permit-pty"]);
            File.WriteAllText(keyFile + "-cert.pub", certificate.ToLine() + "\n");
            var config = keys.Write($"config-{name}", File.ReadAllText(SshConfig)
                .Replace(Path.Join(Path.GetDirectoryName(SshConfig)!, "kubes", _cluster.Name, "id_ecdsa"), keyFile, StringComparison.Ordinal));

            var ssh = await Run("ssh", "-F", config, "-o", "BatchMode=yes", $"bastion-0.{_cluster.Name}", "true");

            Assert.Equal(255, ssh.ExitCode);
            Assert.Contains("Permission denied (publickey)", ssh.StandardError);
        }
    }

    /// <summary><c>ssh-keygen -L</c> of every instance's host certificate: a host certificate of the cluster's host CA for its names.</summary>
    private async Task EveryHostCertificateIsAsThePolicySaysAsync()
    {
        using var pki = await new ClusterPkiRepository(new FolderStateStore(_cluster.StateStore)).LoadExistingAsync(_cluster, CancellationToken.None);
        using var listings = new Pki.Support.TempFolder();
        foreach (var slot in new[] { _topology.FindSlot(InstanceRole.Bastion, 0)!, _topology.FindSlot(InstanceRole.Etcd, 0)! })
        {
            var line = await File.ReadAllTextAsync(Path.Join(Instance(slot.Name), "etc", "ssh", "ssh_host_ed25519_key-cert.pub"));
            var listed = SshKeygen.List(listings, line.Trim());

            Assert.True(listed.ExitCode == 0, listed.Output);
            Assert.Contains("Type: ssh-ed25519-cert-v01@openssh.com host certificate", listed.StandardOutput);
            Assert.Contains($"Signing CA: ECDSA {pki.SshHost.PublicKey.Fingerprint}", listed.StandardOutput);
            var certificate = SshCertificate.Parse(line);
            Assert.Equal([slot.Name, slot.PrivateIp!.ToString(), _topology.FqdnOf(slot)], certificate.Principals);
            Assert.Equal(_cluster.Ssh.HostCertificateLifetime.Value + CertificateAuthority.ClockSkewAllowance,
                certificate.ValidBefore - certificate.ValidAfter);
            foreach (var principal in certificate.Principals) Assert.Contains($"                {principal}\n", listed.StandardOutput);
        }
    }

    /// <summary>
    /// The operator's namespace reaches nothing of the VPC but the bastion until alice's tunnel is up, then etcd-0 by ICMP and
    /// TCP; a profile revoked after it was made, and one of another VPN CA, never get a tunnel.
    /// </summary>
    private async Task TheVpnReachesTheVpcAndRefusesRevokedAndForeignProfilesAsync()
    {
        foreach (var name in new[] { "alice", "bob" })
        {
            var profile = await KubesProcess.RunAsync(_folder.Path, Slow, "vpn", "profile", name, "-f", _spec, "-o", Profile(name));
            Assert.True(profile.ExitCode == 0, profile.ToString());
        }
        var server = await OpenVpnServerAsync();
        var revoke = await KubesProcess.RunAsync(_folder.Path, Slow, "vpn", "revoke", "bob", "-f", _spec);
        Assert.True(revoke.ExitCode == 0, revoke.ToString());

        Assert.NotEqual(0, (await InOperator("ping", "-c", "1", "-W", "1", Etcd.ToString())).ExitCode);
        var alice = Start("ip", "netns", "exec", _operator, "openvpn", "--config", Profile("alice"), "--log", Log("alice"));
        await WaitForAsync(() => Task.FromResult(File.Exists(Log("alice")) && File.ReadAllText(Log("alice")).Contains("Initialization Sequence Completed")),
            "alice's tunnel");

        var ping = await InOperator("ping", "-c", "2", "-W", "2", Etcd.ToString());
        Assert.True(ping.ExitCode == 0, ping.Output);
        var banner = await InOperator("bash", "-c", $"exec 3<>/dev/tcp/{Etcd}/22; head -c 8 <&3");
        Assert.True(banner.ExitCode == 0, banner.Output);
        Assert.Equal("SSH-2.0-", banner.StandardOutput);
        alice.Kill(entireProcessTree: true);
        await alice.WaitForExitAsync();

        using var other = ClusterPki.Create(_cluster with { Name = "impostor" });
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var foreign = CsrSigner.Sign(other, new IssuancePolicy(_topology).ForVpnClient("mallory"), TestCsr.For(key));
        var alicesProfile = await File.ReadAllTextAsync(Profile("alice"));
        var mallory = alicesProfile
            .Replace(Inline(alicesProfile, "cert"), foreign.CertificatePem.TrimEnd('\n') + "\n", StringComparison.Ordinal)
            .Replace(Inline(alicesProfile, "key"), key.ExportPkcs8PrivateKeyPem().TrimEnd('\n') + "\n", StringComparison.Ordinal);
        await AssertRefusedAsync("mallory", mallory, "unable to get local issuer certificate");

        // The revocation reaches the bastion by re-sync: its list names bob before bob tries.
        var bob = await File.ReadAllTextAsync(Profile("bob"));
        using (var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(Inline(bob, "cert")))
        {
            var crl = Path.Join(Instance("bastion-0"), "etc", "kubes", "openvpn", "crl.pem");
            await WaitForAsync(async () => (await Run("openssl", "crl", "-in", crl, "-noout", "-text")).StandardOutput
                .Contains($"Serial Number: {certificate.SerialNumber}"), "the bastion's revocation list naming bob", TimeSpan.FromMinutes(2));
        }
        await AssertRefusedAsync("bob", bob, "certificate revoked");
        Assert.Equal(server, await OpenVpnServerAsync());
    }

    /// <summary>The pid of the bastion's openvpn server: a revocation must not restart it.</summary>
    private async Task<int> OpenVpnServerAsync()
    {
        var pids = await Run("ip", "netns", "pids", await NamespaceOfAsync("bastion-0"));
        return pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)
            .Single(pid => File.Exists($"/proc/{pid}/cmdline")
                           && File.ReadAllText($"/proc/{pid}/cmdline").Split('\0')[0].EndsWith("/openvpn", StringComparison.Ordinal));
    }

    /// <summary>
    /// A client with this profile gets no tunnel: the bastion's openvpn says why it refused the client's certificate (a
    /// TLS 1.3 client learns of it only later), the client never completes, and the VPC stays unreachable.
    /// </summary>
    private async Task AssertRefusedAsync(string name, string profile, string reason)
    {
        await File.WriteAllTextAsync(Profile(name), profile);
        var client = Start("ip", "netns", "exec", _operator, "openvpn", "--config", Profile(name), "--log", Log(name));
        var serverLog = Path.Join(Instance("bastion-0"), "var", "log", "kubes", "kubes-openvpn.log");
        var refusal = $"VERIFY ERROR: depth=0, error={reason}: CN={name}";
        try
        {
            await WaitForAsync(() => Task.FromResult(File.ReadAllText(serverLog).Contains(refusal)), $"the bastion refusing {name}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; the bastion's log ends with:\n{string.Join('\n', File.ReadLines(serverLog).TakeLast(20))}");
        }
        Assert.NotEqual(0, (await InOperator("ping", "-c", "1", "-W", "1", Etcd.ToString())).ExitCode);
        client.Kill(entireProcessTree: true);
        await client.WaitForExitAsync();
        Assert.DoesNotContain("Initialization Sequence Completed", await File.ReadAllTextAsync(Log(name)));
    }

    /// <summary>
    /// The operator's machine: a namespace on the cluster's bridge at a free VPC address, routed to the bastion alone, as the
    /// internet routes an operator to a bastion's public address and nowhere else of the VPC.
    /// </summary>
    private async Task OperatorNamespaceAsync()
    {
        var vpc = Cidr.Parse(_cluster.Network.VpcCidr);
        var bridge = new NamespaceNetwork(_cluster.Name, _cluster.StateStore, vpc, [vpc.AddressAt(1)]).Bridge;
        var veth = "kto" + _operator[^5..];
        var address = vpc.AddressAt((uint)vpc.Size - 10);
        foreach (var command in new[]
                 {
                     new[] { "netns", "add", _operator },
                     ["link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", _operator],
                     ["link", "set", veth, "master", bridge, "up"],
                     ["-n", _operator, "addr", "add", $"{address}/32", "dev", "eth0"],
                     ["-n", _operator, "link", "set", "eth0", "up"],
                     ["-n", _operator, "link", "set", "lo", "up"],
                     ["-n", _operator, "route", "add", $"{Bastion}/32", "dev", "eth0"],
                 })
        {
            var ip = await Run("ip", command);
            Assert.True(ip.ExitCode == 0, ip.Output);
        }
    }

    private async Task<string> NamespaceOfAsync(string slot)
    {
        var status = await KubesProcess.RunAsync(_folder.Path, Slow, "status", "-f", _spec, "-o", "json");
        var instance = JsonDocument.Parse(status.Stdout).RootElement.EnumerateArray()
            .Single(row => row.GetProperty("slot").GetString() == slot).GetProperty("instanceId").GetString()!;
        var vpc = Cidr.Parse(_cluster.Network.VpcCidr);
        return new NamespaceNetwork(_cluster.Name, _cluster.StateStore, vpc, [vpc.AddressAt(1)]).NamespaceOf(instance);
    }

    private string Profile(string name) => Path.Join(_folder.Path, $"{name}.ovpn");

    private string Log(string name) => Path.Join(_folder.Path, $"{name}.log");

    private static string Inline(string ovpn, string tag)
    {
        var start = ovpn.IndexOf($"<{tag}>\n", StringComparison.Ordinal) + tag.Length + 3;
        return ovpn[start..ovpn.IndexOf($"</{tag}>", StringComparison.Ordinal)];
    }

    private Task<HostTool.Result> InOperator(params string[] command) => Run("ip", ["netns", "exec", _operator, .. command]);

    private static Task<HostTool.Result> Run(string program, params string[] arguments) => Task.Run(() => HostTool.Run(program, arguments));

    private Process Start(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _started.Add(process);
        return process;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > (limit ?? TimeSpan.FromSeconds(30))) throw new TimeoutException($"waited {waited.Elapsed:g} for {what}");
            await Task.Delay(250);
        }
    }
}
