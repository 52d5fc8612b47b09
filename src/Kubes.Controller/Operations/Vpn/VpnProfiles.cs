using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Components.OpenVpn;
using Kubes.Controller.Operations.Access;
using Kubes.Controller.Pki;
using Kubes.Controller.Pki.Store;
using Kubes.Controller.Pki.Vpn;
using Kubes.Controller.Providers;
using Kubes.Controller.Spec;
using Kubes.Protos.Contract;

namespace Kubes.Controller.Operations.Vpn;

/// <summary>A profile just made: its record in the ledger and the .ovpn text (which holds its private key).</summary>
public sealed record IssuedVpnProfile(VpnProfileRecord Record, string Ovpn);

/// <summary>
/// <c>kubes vpn profile|revoke|list</c>: a profile's key is made here, on the operator's machine, its certificate signed by
/// the VPN CA in this process (the CA key is decrypted in memory, never written), and the profile recorded in the VPN
/// ledger of the state store; a revocation signs a new revocation list there, which the bastion gets at its next re-sync.
/// </summary>
public sealed class VpnProfiles(IClusterSession session, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    private ClusterSpec Spec => session.Topology.Spec;

    /// <exception cref="ArgumentException">Not a profile name.</exception>
    /// <exception cref="AccessException">No bastion, or a profile of that name is active.</exception>
    public async Task<IssuedVpnProfile> IssueAsync(string name, CancellationToken cancellationToken)
    {
        var identity = new IssuancePolicy(session.Topology).ForVpnClient(name);
        var hosts = new ClusterHosts(session);
        var bastionSlot = hosts.BastionSlot();
        var bastion = await hosts.BastionAddressAsync(cancellationToken);
        using var pki = await new ClusterPkiRepository(session.Store).LoadExistingAsync(Spec, cancellationToken);
        var ledger = new VpnProfileLedger(session.Store, _clock);
        if ((await ledger.LoadOrCreateAsync(pki.Vpn, cancellationToken)).Profiles.Any(p => IsActive(p, name)))
            throw ActiveProfile(name);

        using var key = OperatorKey.Create(Spec.Pki.KeyAlgorithm, name);
        var issued = CsrSigner.Sign(pki, identity, key.CsrPem, _clock);
        using var certificate = X509Certificate2.CreateFromPem(issued.CertificatePem);
        var record = new VpnProfileRecord(name, certificate.SerialNumber, new DateTimeOffset(certificate.NotBefore.ToUniversalTime()),
            issued.NotAfter, _clock.GetUtcNow());
        // Recorded only if no one made a profile of this name meanwhile: a certificate never recorded is never handed out.
        await ledger.UpdateAsync(pki.Vpn, current => current.Profiles.Any(p => IsActive(p, name))
            ? throw ActiveProfile(name)
            : current with { Profiles = [.. current.Profiles, record] }, cancellationToken);

        var ovpn = OvpnProfile.Render(new OvpnProfile.Parts(name, Spec.Name, bastion, Ports.OpenVpn,
            OpenVpnComponent.ServerName(session.Topology, bastionSlot), pki.Vpn.CertificatePem, issued.CertificatePem,
            key.PrivateKeyPem, await new TlsCryptKeyStore(session.Store).LoadOrCreateAsync(cancellationToken), issued.NotAfter));
        return new IssuedVpnProfile(record, ovpn);
    }

    /// <summary>Revokes every active profile of that name and signs the revocation list the bastion gets next.</summary>
    /// <exception cref="AccessException">No active profile of that name.</exception>
    public async Task<IReadOnlyList<VpnProfileRecord>> RevokeAsync(string name, CancellationToken cancellationToken)
    {
        VpnProfileNames.Require(name);
        using var pki = await new ClusterPkiRepository(session.Store).LoadExistingAsync(Spec, cancellationToken);
        var now = _clock.GetUtcNow();
        var updated = await new VpnProfileLedger(session.Store, _clock).UpdateAsync(pki.Vpn,
            current => VpnProfileLedger.Revoked(current, name, pki.Vpn, now) ?? throw NoActiveProfile(name, current, now),
            cancellationToken);
        return updated.Profiles.Where(p => p.Name == name && p.RevokedAt == now).ToList();
    }

    /// <summary>Every profile issued, oldest first; none when no profile was ever made.</summary>
    public async Task<IReadOnlyList<VpnProfileRecord>> ListAsync(CancellationToken cancellationToken) =>
        (await new VpnProfileLedger(session.Store, _clock).FindAsync(cancellationToken))?.Profiles ?? [];

    private bool IsActive(VpnProfileRecord profile, string name) =>
        profile.Name == name && profile.StateAt(_clock.GetUtcNow()) == VpnProfileState.Active;

    private static AccessException ActiveProfile(string name) => new(
        $"a VPN profile named {name} is active: revoke it first ('kubes vpn revoke {name}'), or choose another name");

    private static AccessException NoActiveProfile(string name, VpnLedger ledger, DateTimeOffset now) =>
        ledger.Profiles.Any(p => p.Name == name)
            ? new($"the VPN profile {name} is already {string.Join(" and ", ledger.Profiles.Where(p => p.Name == name).Select(p => p.StateAt(now).ToString().ToLowerInvariant()).Distinct())}; nothing to revoke")
            : new($"no VPN profile named {name} was issued; 'kubes vpn list' shows those that were");
}
