using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Operations.Access;
using Kubes.Controller.Operations.Vpn;
using Kubes.Controller.Pki;
using Kubes.Controller.Pki.Store;
using Kubes.Controller.Pki.Vpn;
using Kubes.Controller.Registrar;
using Kubes.Controller.Session;
using Kubes.Controller.Tests.Operations.Access;
using Kubes.Controller.Tests.Pki.Support;

namespace Kubes.Controller.Tests.Operations.Vpn;

/// <summary>
/// <c>kubes vpn profile|revoke|list</c> on a cluster's state folder: every profile's certificate is judged by openssl,
/// every revocation list too.
/// </summary>
public sealed class VpnProfilesTests : IDisposable
{
    private readonly AccessWorld _world = new();

    [Fact]
    public async Task A_profile_holds_a_client_certificate_of_the_VPN_CA_its_key_and_what_reaches_the_bastion()
    {
        using var pki = await _world.PkiAsync();
        await _world.JoinBastionAsync();

        var issued = await new VpnProfiles(_world.Session).IssueAsync("alice", CancellationToken.None);

        var ovpn = issued.Ovpn;
        Assert.Contains($"remote {AccessWorld.BastionPublicAddress} 1194\n", ovpn);
        Assert.Contains("verify-x509-name bastion-0.seam.kubes.internal name\n", ovpn);
        Assert.Contains("remote-cert-tls server\n", ovpn);
        Assert.True(TlsCryptKey.IsValid(Inline(ovpn, "tls-crypt")));
        Assert.Equal(pki.Vpn.CertificatePem.Trim(), Inline(ovpn, "ca").Trim());
        var certificate = Inline(ovpn, "cert");
        var verified = Openssl.Verify(_world.Folder, pki.Vpn.CertificatePem, certificate, "sslclient");
        Assert.True(verified.ExitCode == 0, verified.Output);
        Assert.NotEqual(0, Openssl.Verify(_world.Folder, pki.Vpn.CertificatePem, certificate, "sslserver").ExitCode);
        Assert.NotEqual(0, Openssl.Verify(_world.Folder, pki.Kubernetes.CertificatePem, certificate).ExitCode);
        using var parsed = X509Certificate2.CreateFromPem(certificate);
        using var key = ECDsa.Create();
        key.ImportFromPem(Inline(ovpn, "key"));
        Assert.Equal(parsed.PublicKey.ExportSubjectPublicKeyInfo(), key.ExportSubjectPublicKeyInfo());
        Assert.Equal("CN=alice", parsed.Subject);
        Assert.Equal(issued.Record.Serial, parsed.SerialNumber);
        Assert.Equal(_world.Session.Topology.Spec.Bastion.Vpn.ProfileLifetime.Value + CertificateAuthority.ClockSkewAllowance,
            parsed.NotAfter - parsed.NotBefore);
    }

    [Fact]
    public async Task A_second_profile_of_an_active_name_is_refused_and_one_of_a_revoked_name_is_made()
    {
        using var pki = await _world.PkiAsync();
        await _world.JoinBastionAsync();
        var profiles = new VpnProfiles(_world.Session);
        var first = await profiles.IssueAsync("alice", CancellationToken.None);

        var refusal = await Assert.ThrowsAsync<AccessException>(() => profiles.IssueAsync("alice", CancellationToken.None));
        Assert.Contains("kubes vpn revoke alice", refusal.Message);
        await profiles.RevokeAsync("alice", CancellationToken.None);
        var second = await profiles.IssueAsync("alice", CancellationToken.None);

        Assert.NotEqual(first.Record.Serial, second.Record.Serial);
        var listed = await profiles.ListAsync(CancellationToken.None);
        Assert.Equal([(first.Record.Serial, VpnProfileState.Revoked), (second.Record.Serial, VpnProfileState.Active)],
            listed.Select(p => (p.Serial, p.StateAt(DateTimeOffset.UtcNow))));
    }

    [Fact]
    public async Task A_revocation_signs_a_new_list_of_the_VPN_CA_that_names_the_profile_and_reaches_the_coordinator_s_material()
    {
        using var pki = await _world.PkiAsync();
        await _world.JoinBastionAsync();
        var material = await ClusterMaterialSource.LoadAsync(_world.Session.Store, pki, CancellationToken.None);
        var before = material.Current.VpnCrlPem;
        var profiles = new VpnProfiles(_world.Session);
        var bob = await profiles.IssueAsync("bob", CancellationToken.None);
        var carol = await profiles.IssueAsync("carol", CancellationToken.None);

        await profiles.RevokeAsync("bob", CancellationToken.None);
        await material.RefreshAsync(CancellationToken.None);

        var crl = material.Current.VpnCrlPem;
        Assert.NotEqual(before, crl);
        var ca = _world.Folder.Write("vpn-ca.crt", pki.Vpn.CertificatePem);
        var text = HostTool.Run("openssl", "crl", "-in", _world.Folder.Write("crl.pem", crl), "-CAfile", ca, "-noout", "-text");
        Assert.True(text.ExitCode == 0, text.Output);
        Assert.Contains("verify OK", text.StandardError);
        Assert.Contains($"Serial Number: {bob.Record.Serial}", text.StandardOutput);
        Assert.DoesNotContain(carol.Record.Serial, text.StandardOutput);
        Assert.Contains("X509v3 CRL Number: \n                2", text.StandardOutput);
    }

    [Fact]
    public async Task What_cannot_be_revoked_is_said()
    {
        using var pki = await _world.PkiAsync();
        await _world.JoinBastionAsync();
        var profiles = new VpnProfiles(_world.Session);
        await profiles.IssueAsync("alice", CancellationToken.None);
        await profiles.RevokeAsync("alice", CancellationToken.None);

        Assert.Contains("already revoked", (await Assert.ThrowsAsync<AccessException>(() =>
            profiles.RevokeAsync("alice", CancellationToken.None))).Message);
        Assert.Contains("no VPN profile named nobody", (await Assert.ThrowsAsync<AccessException>(() =>
            profiles.RevokeAsync("nobody", CancellationToken.None))).Message);
    }

    [Fact]
    public async Task A_profile_needs_the_cluster_s_PKI_and_a_running_bastion()
    {
        var profiles = new VpnProfiles(_world.Session);
        Assert.Contains("has not joined", (await Assert.ThrowsAsync<AccessException>(() =>
            profiles.IssueAsync("alice", CancellationToken.None))).Message);

        await _world.JoinBastionAsync(InstanceState.Terminated);
        Assert.Contains("is not running", (await Assert.ThrowsAsync<AccessException>(() =>
            profiles.IssueAsync("alice", CancellationToken.None))).Message);

        await _world.JoinBastionAsync();
        Assert.Contains("kubes up", (await Assert.ThrowsAsync<PkiStoreException>(() =>
            profiles.IssueAsync("alice", CancellationToken.None))).Message);
    }

    [Fact]
    public async Task A_profile_name_that_could_be_a_path_is_bad_input() =>
        await Assert.ThrowsAsync<ArgumentException>(() => new VpnProfiles(_world.Session).IssueAsync("../alice", CancellationToken.None));

    private static string Inline(string ovpn, string tag)
    {
        var start = ovpn.IndexOf($"<{tag}>\n", StringComparison.Ordinal) + tag.Length + 3;
        return ovpn[start..ovpn.IndexOf($"</{tag}>", StringComparison.Ordinal)];
    }

    public void Dispose() => _world.Dispose();
}
