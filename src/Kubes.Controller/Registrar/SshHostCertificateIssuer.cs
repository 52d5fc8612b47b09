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
}
