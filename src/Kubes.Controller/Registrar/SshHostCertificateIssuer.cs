using Kubes.Controller.Pki.Ssh;
using Kubes.Protos.Ssh;

namespace Kubes.Controller.Registrar;

/// <summary>
/// Certifies a verified instance's SSH host key for the principals its role configuration names (its slot's name,
/// private address and DNS name), for the spec's host-certificate lifetime. The agent sends only the public key; what
/// the certificate says comes from the verified instance, as with its X.509 certificates.
/// </summary>
public sealed class SshHostCertificateIssuer(SshCertificateAuthority hostCa, TimeSpan lifetime, TimeProvider? clock = null)
{
    public SshCertificate Issue(VerifiedInstance instance, SshPublicKey hostKey, IReadOnlyList<string> principals)
    {
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        return hostCa.Sign(hostKey, $"host {instance.Name} {instance.InstanceId} cluster {instance.Cluster}", principals, now,
            now + lifetime);
    }

    /// <summary>The identity a host certificate is recorded under in the issuance record: <c>ssh-host/&lt;name&gt;</c>.</summary>
    public static string IdentityOf(VerifiedInstance instance) => $"ssh-host/{instance.Name}";

    /// <summary>What the issuance record (and <c>kubes certs</c>) keeps of a host certificate: its principals as subject.</summary>
    public IssuedCertificateEntry RecordOf(VerifiedInstance instance, SshCertificate certificate, DateTimeOffset issuedAt) =>
        new(instance.InstanceId, instance.Name, IdentityOf(instance), $"principals={string.Join(",", certificate.Principals)}",
            hostCa.PublicKey.Comment, certificate.Serial.ToString("X16", System.Globalization.CultureInfo.InvariantCulture),
            certificate.ValidAfter, certificate.ValidBefore, issuedAt);
}
