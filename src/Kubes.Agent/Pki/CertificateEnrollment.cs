using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kubes.Agent.Channels;
using Kubes.Agent.FileSystem;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Pki;

/// <summary>
/// Brings the PKI folder in line with the RoleConfig's certificate list: keeps certificates that are
/// current for their key, sends CSRs for the others in one Certify call, and installs what comes back.
/// </summary>
public sealed class CertificateEnrollment(KeyStore keys, PkiFiles files, TimeProvider time, ILogger<CertificateEnrollment> log)
{
    /// <summary>A certificate with less than this part of its lifetime left is requested again.</summary>
    private const double RenewWhenRemaining = 1.0 / 3;

    public async Task EnrollAsync(RoleConfig config, string instanceId, string credential, IRegistrarChannel channel,
        CancellationToken cancellationToken)
    {
        var keysByIdentity = new Dictionary<string, (CertificateRequestSpec Spec, AgentKey Key)>();
        try
        {
            var request = new CertifyRequest { InstanceId = instanceId, AgentCredential = credential };
            foreach (var spec in config.Certificates)
            {
                var key = keys.GetOrCreate(spec);
                keysByIdentity[spec.Identity] = (spec, key);
                if (IsCurrent(spec, key))
                {
                    log.LogInformation("Certificate {Identity} at {Path} is current", spec.Identity, files.CertificatePath(spec.FileStem));
                    continue;
                }

                request.Requests.Add(new CertificateSigningRequest
                {
                    Identity = spec.Identity,
                    CsrPem = key.CreateSigningRequestPem(spec.Identity),
                });
            }

            if (request.Requests.Count == 0)
            {
                return;
            }

            var response = await channel.CertifyAsync(request, cancellationToken);
            var missing = request.Requests.Select(r => r.Identity)
                .Except(response.Certificates.Select(c => c.Identity)).ToList();
            if (missing.Count > 0)
            {
                throw new CertificateRejectedException(
                    $"the coordinator answered Certify without a certificate for {string.Join(", ", missing)}");
            }

            foreach (var issued in response.Certificates)
            {
                if (keysByIdentity.TryGetValue(issued.Identity, out var entry))
                {
                    Install(entry.Spec, entry.Key, issued);
                }
            }
        }
        finally
        {
            foreach (var (_, key) in keysByIdentity.Values)
            {
                key.Dispose();
            }
        }
    }

    private bool IsCurrent(CertificateRequestSpec spec, AgentKey key)
    {
        var path = files.CertificatePath(spec.FileStem);
        if (!File.Exists(path) || !File.Exists(files.CaPath(spec.FileStem)))
        {
            return false;
        }

        try
        {
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(path));
            var now = time.GetUtcNow().UtcDateTime;
            var lifetime = certificate.NotAfter.ToUniversalTime() - certificate.NotBefore.ToUniversalTime();
            return key.IsKeyOf(certificate)
                   && certificate.NotBefore.ToUniversalTime() <= now
                   && certificate.NotAfter.ToUniversalTime() - now > lifetime * RenewWhenRemaining;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private void Install(CertificateRequestSpec spec, AgentKey key, IssuedCertificate issued)
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
                    $"the certificate issued for {spec.Identity} does not carry the public key of {files.KeyPath(spec.FileStem)}");
            }

            AtomicFile.WriteAllText(files.CaPath(spec.FileStem), issued.CaPem, AtomicFile.OwnerOnly);
            AtomicFile.WriteAllText(files.CertificatePath(spec.FileStem), issued.CertificatePem, AtomicFile.OwnerOnly);
            log.LogInformation("Installed certificate {Identity} ({Subject}, until {NotAfter:o}) at {Path}",
                spec.Identity, certificate.Subject, certificate.NotAfter.ToUniversalTime(), files.CertificatePath(spec.FileStem));
        }
    }
}

public sealed class CertificateRejectedException(string message) : Exception(message);
