using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kubes.Agent.Channels;
using Kubes.Agent.FileSystem;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Pki;

/// <summary>A certificate this enrollment installed, first or renewed.</summary>
/// <param name="Reason">Why it was requested (<see cref="RenewalDecision.Reason"/>).</param>
/// <param name="Renewed">Whether it replaced one that was installed.</param>
public sealed record EnrolledCertificate(string Identity, string Reason, bool Renewed, string SerialNumber, DateTimeOffset NotAfter);

/// <param name="Installed">What this enrollment installed; empty when every certificate was current.</param>
/// <param name="NextRenewal">The earliest renewal time of the certificates now installed; null when there are none.</param>
public sealed record Enrollment(IReadOnlyList<EnrolledCertificate> Installed, DateTimeOffset? NextRenewal);

/// <summary>
/// Brings the PKI folder in line with the RoleConfig's certificate list, the first time and every time after: keeps the
/// certificates <see cref="RenewalDecision"/> finds current, requests the others in one Certify call — each with a new key
/// made here, through the agent's channel with its credential, under the same policy as the first time — and installs
/// what comes back: the key (0600), the CA, then the certificate, each file replaced atomically.
/// </summary>
public sealed class CertificateEnrollment(KeyStore keys, PkiFiles files, TimeProvider time, ILogger<CertificateEnrollment> log)
{
    public async Task<Enrollment> EnrollAsync(RoleConfig config, string instanceId, string credential, IRegistrarChannel channel,
        CancellationToken cancellationToken)
    {
        var requested = new Dictionary<string, (CertificateRequestSpec Spec, AgentKey Key, RenewalDecision Decision, bool Renewal)>();
        var dueTimes = new List<DateTimeOffset>();
        try
        {
            var request = new CertifyRequest { InstanceId = instanceId, AgentCredential = credential };
            foreach (var spec in config.Certificates)
            {
                InstalledCertificate? installed;
                using (var key = keys.Find(spec))
                {
                    installed = InstalledCertificate.Read(files, spec, key);
                }

                var decision = RenewalDecision.For(spec, installed, instanceId, time.GetUtcNow());
                if (!decision.Request)
                {
                    dueTimes.Add(decision.DueAt!.Value);
                    log.LogDebug("Certificate {Identity} is current; it is renewed at {DueAt:o}", spec.Identity, decision.DueAt);
                    continue;
                }

                log.LogInformation("Requesting certificate {Identity}: {Reason}", spec.Identity, decision.Reason);
                var fresh = AgentKey.Generate(spec.KeyAlgorithm);
                requested[spec.Identity] = (spec, fresh, decision, installed is not null);
                request.Requests.Add(new CertificateSigningRequest
                {
                    Identity = spec.Identity,
                    CsrPem = fresh.CreateSigningRequestPem(spec.Identity),
                });
            }

            if (request.Requests.Count == 0)
            {
                return new Enrollment([], Earliest(dueTimes));
            }

            var response = await channel.CertifyAsync(request, cancellationToken);
            var missing = request.Requests.Select(r => r.Identity)
                .Except(response.Certificates.Select(c => c.Identity)).ToList();
            if (missing.Count > 0)
            {
                throw new CertificateRejectedException(
                    $"the coordinator answered Certify without a certificate for {string.Join(", ", missing)}");
            }

            var installedNow = new List<EnrolledCertificate>();
            foreach (var issued in response.Certificates)
            {
                if (!requested.TryGetValue(issued.Identity, out var entry)) continue;
                installedNow.Add(Install(entry.Spec, entry.Key, issued, entry.Decision.Reason, entry.Renewal));
                // Null only for a certificate due the moment it came (a CA about to expire): asked again at the next check.
                if (RenewalDecision.For(entry.Spec, InstalledCertificate.Read(files, entry.Spec, entry.Key), instanceId, time.GetUtcNow())
                        .DueAt is { } due)
                {
                    dueTimes.Add(due);
                }
            }

            return new Enrollment(installedNow, Earliest(dueTimes));
        }
        finally
        {
            foreach (var (_, key, _, _) in requested.Values)
            {
                key.Dispose();
            }
        }
    }

    private static DateTimeOffset? Earliest(List<DateTimeOffset> times) => times.Count == 0 ? null : times.Min();

    private EnrolledCertificate Install(CertificateRequestSpec spec, AgentKey key, IssuedCertificate issued, string reason, bool renewal)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(issued.CertificatePem);
            X509Certificate2.CreateFromPem(issued.CaPem).Dispose();
        }
        catch (CryptographicException e)
        {
            throw new CertificateRejectedException($"the certificate issued for {spec.Identity} is not PEM the agent can read: {e.Message}");
        }

        using (certificate)
        {
            if (!key.IsKeyOf(certificate))
            {
                throw new CertificateRejectedException(
                    $"the certificate issued for {spec.Identity} does not carry the public key of the CSR the agent sent");
            }

            // The key first and the certificate last: a reader between the two renames meets a pair that does not match
            // and fails that one handshake, and a crash in between leaves a pair the next enrollment requests again.
            keys.Install(spec, key);
            AtomicFile.WriteAllText(files.CaPath(spec.FileStem), issued.CaPem, AtomicFile.OwnerOnly);
            AtomicFile.WriteAllText(files.CertificatePath(spec.FileStem), issued.CertificatePem, AtomicFile.OwnerOnly);
            AtomicFile.WriteAllText(files.PolicyHashPath(spec.FileStem), spec.PolicyHash + "\n", AtomicFile.OwnerOnly);
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
            log.LogInformation("{Action} certificate {Identity} ({Subject}, serial {Serial}, until {NotAfter:o}) at {Path}: {Reason}",
                renewal ? "Renewed" : "Installed", spec.Identity, certificate.Subject, certificate.SerialNumber, notAfter,
                files.CertificatePath(spec.FileStem), reason);
            return new EnrolledCertificate(spec.Identity, reason, renewal, certificate.SerialNumber, notAfter);
        }
    }
}

public sealed class CertificateRejectedException(string message) : Exception(message);
