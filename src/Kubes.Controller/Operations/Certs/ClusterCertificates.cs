using Kubes.Controller.Pki;
using Kubes.Controller.Pki.Store;
using Kubes.Controller.Registrar;
using Kubes.Controller.State;

namespace Kubes.Controller.Operations.Certs;

/// <summary>One CA of the cluster and its own expiry.</summary>
/// <param name="Name">etcd, kubernetes or front-proxy.</param>
public sealed record AuthorityExpiry(string Name, string Subject, DateTimeOffset NotBefore, DateTimeOffset NotAfter, ExpiryFlag Flag);

/// <summary>One certificate issued in the cluster, from the issuance record, and what <c>kubes certs</c> says of it.</summary>
/// <param name="Superseded">How many certificates of the same holder and identity this one replaced.</param>
public sealed record IssuedCertificateRow(IssuedCertificateEntry Certificate, ExpiryFlag Flag, int Superseded);

/// <summary>What <c>kubes certs</c> shows, as of <paramref name="At"/>.</summary>
public sealed record CertificateInventory(
    DateTimeOffset At,
    IReadOnlyList<AuthorityExpiry> Authorities,
    IReadOnlyList<IssuedCertificateRow> Certificates)
{
    /// <summary>No <c>kubes up</c> has made the cluster's CAs yet.</summary>
    public bool HasPki => Authorities.Count > 0;

    public int Flagged => Authorities.Count(a => a.Flag is ExpiryFlag.Expiring or ExpiryFlag.Expired)
                          + Certificates.Count(c => c.Flag is ExpiryFlag.Expiring or ExpiryFlag.Expired);
}

/// <summary>
/// <c>kubes certs</c>: every certificate issued in the cluster — the newest per holder and identity, or with
/// <c>everyIssuance</c> the ones they superseded too — and the CAs, each with its expiry judged by
/// <see cref="CertificateExpiry"/>. Read from the state store alone: the same on AWS and locally.
/// </summary>
public static class ClusterCertificates
{
    public static async Task<CertificateInventory> ReadAsync(IStateStore store, bool everyIssuance, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var authorities = new List<AuthorityExpiry>();
        foreach (var (kind, certificate) in await new ClusterPkiRepository(store).LoadCertificatesAsync(cancellationToken))
        {
            using (certificate)
            {
                var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
                var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
                authorities.Add(new AuthorityExpiry(kind.Slug(), certificate.SubjectName.Name, notBefore, notAfter,
                    CertificateExpiry.Of(notBefore, notAfter, now)));
            }
        }

        var rows = new List<IssuedCertificateRow>();
        foreach (var history in await new IssuanceRecord(store).ListAsync(everyIssuance, cancellationToken))
        {
            rows.AddRange(history.Issued.Select(entry => ReferenceEquals(entry, history.Newest)
                ? new IssuedCertificateRow(entry, CertificateExpiry.Of(entry.NotBefore, entry.NotAfter, now), history.Superseded)
                : new IssuedCertificateRow(entry, ExpiryFlag.Superseded, 0)));
        }
        return new CertificateInventory(now, authorities,
        [
            .. rows.OrderBy(r => r.Certificate.Holder == IssuanceRecord.CoordinatorHolder)
                .ThenBy(r => r.Certificate.Name, StringComparer.Ordinal)
                .ThenBy(r => r.Certificate.Identity, StringComparer.Ordinal)
                .ThenBy(r => r.Certificate.IssuedAt),
        ]);
    }
}
