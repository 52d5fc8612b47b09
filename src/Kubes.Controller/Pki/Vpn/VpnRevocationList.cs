using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kubes.Controller.Pki.Vpn;

/// <summary>The VPN CA's certificate revocation list: the serials of every revoked profile that has not expired yet.</summary>
public static class VpnRevocationList
{
    public static string Sign(CertificateAuthority vpnCa, IEnumerable<VpnProfileRecord> profiles, long number, DateTimeOffset now)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var revoked in profiles.Where(p => p.RevokedAt is not null && p.NotAfter > now))
            builder.AddEntry(Convert.FromHexString(revoked.Serial), revoked.RevokedAt!.Value, X509RevocationReason.CessationOfOperation);
        var thisUpdate = now - CertificateAuthority.ClockSkewAllowance;
        var nextUpdate = vpnCa.NotAfter > thisUpdate ? vpnCa.NotAfter : thisUpdate.AddMinutes(1);
        byte[] der;
        lock (vpnCa.Key.SigningLock)
        {
            der = builder.Build(vpnCa.Certificate.SubjectName, vpnCa.Key.SignatureGenerator(), new BigInteger(number), nextUpdate,
                SigningKey.HashAlgorithm, X509AuthorityKeyIdentifierExtension.CreateFromCertificate(vpnCa.Certificate, true, false),
                thisUpdate);
        }
        return PemEncoding.WriteString("X509 CRL", der) + "\n";
    }
}
