using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Pki;

/// <summary>
/// Whether a certificate is requested now, and if not, when. A certificate is requested when there is none, when it
/// cannot be used (no key of its algorithm, a key it does not carry, no CA), when the issuance policy changed since it
/// was issued (<c>policy_hash</c>), or once its renewal time has come: a point between two thirds and three quarters of
/// its validity (<see cref="CertificateRenewal"/>), fixed for this instance, identity and certificate by a jitter, so that
/// members issued at the same moment renew at different moments and what a renewal restarts is spread.
/// </summary>
/// <param name="Reason">Why it is requested, for the log and the report; empty when it is not.</param>
/// <param name="DueAt">When the installed certificate is renewed; null when it is requested now.</param>
public sealed record RenewalDecision(bool Request, string Reason, DateTimeOffset? DueAt)
{
    public static RenewalDecision For(CertificateRequestSpec spec, InstalledCertificate? installed, string instanceId,
        DateTimeOffset now)
    {
        if (installed is null) return Now("none is installed");
        if (!installed.Usable) return Now($"its key (a {spec.KeyAlgorithm} key the certificate carries) or its CA file is missing");
        if (spec.PolicyHash.Length > 0 && installed.PolicyHash != spec.PolicyHash)
        {
            return Now(installed.PolicyHash is null
                ? "it was issued under a policy the agent did not record"
                : $"the issuance policy changed since it was issued ({Short(installed.PolicyHash)} → {Short(spec.PolicyHash)})");
        }

        var due = RenewalTime(installed, Jitter(instanceId, spec.Identity, installed.SerialNumber));
        return now >= due
            ? Now($"its renewal time {due:o} has come (it expires {installed.NotAfter:o})")
            : new RenewalDecision(false, "", due);
    }

    /// <summary>The renewal time: <paramref name="jitter"/> (0 to 1) of the way from two thirds to three quarters of the validity.</summary>
    public static DateTimeOffset RenewalTime(InstalledCertificate installed, double jitter) =>
        CertificateRenewal.At(installed.NotBefore, installed.NotAfter,
            CertificateRenewal.From + (CertificateRenewal.By - CertificateRenewal.From) * jitter);

    /// <summary>A number from 0 (inclusive) to 1 (exclusive), the same on every restart for one holder and certificate.</summary>
    public static double Jitter(string instanceId, string identity, string serialNumber)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{instanceId}\n{identity}\n{serialNumber}"));
        return (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) / (double)(1UL << 53);
    }

    private static RenewalDecision Now(string reason) => new(true, reason, null);

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
