using Kubes.Agent.Pki;
using Kubes.Protos.Ssh;

namespace Kubes.Agent.Components.Sshd;

/// <summary>
/// When the instance's SSH host certificate is renewed: as the X.509 certificates are, between two thirds and three
/// quarters of its validity (<see cref="Protos.Contract.CertificateRenewal"/>), at a point fixed for this instance and
/// certificate by the same jitter, so that the instances of a cluster do not all ask at once.
/// </summary>
public static class SshHostCertificateRenewal
{
    public const string Identity = "ssh-host";

    public static DateTimeOffset DueAt(SshCertificate certificate, string instanceName) =>
        Protos.Contract.CertificateRenewal.At(certificate.ValidAfter, certificate.ValidBefore,
            Protos.Contract.CertificateRenewal.From
            + (Protos.Contract.CertificateRenewal.By - Protos.Contract.CertificateRenewal.From)
            * RenewalDecision.Jitter(instanceName, Identity, certificate.Serial.ToString("X16", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The installed host certificate, or null when there is none that can be read.</summary>
    public static SshCertificate? Installed(SshdLayout layout)
    {
        try
        {
            return File.Exists(layout.HostCertificateFile) ? SshCertificate.Parse(File.ReadAllText(layout.HostCertificateFile)) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
