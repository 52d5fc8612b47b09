using Kubes.Agent.Channels;
using Kubes.Agent.Pki;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Conversation;

/// <summary>
/// The agent's certificates once its role is in place: the conversation's state report (every health check, and at the
/// earliest renewal time, <see cref="NextRenewal"/>) enrolls again, which renews exactly what is due (<see cref="RenewalDecision"/>). Each
/// renewal is reported as a step <c>renewed &lt;identity&gt; until &lt;not-after&gt;</c>. A renewal that fails is reported and
/// tried again at the next check: the certificate in place stays valid for the last quarter of its lifetime.
/// </summary>
public sealed class CertificateRenewal(CertificateEnrollment enrollment, IRegistrarChannel channel, ConversationTiming timing,
    TimeProvider time, ILogger<CertificateRenewal> log)
{
    private DateTimeOffset? _next;

    /// <summary>The earliest renewal time of the certificates in place; null before the first enrollment.</summary>
    public DateTimeOffset? NextRenewal => _next;

    /// <summary>The first enrollment, as the conversation makes it; it sets the timer.</summary>
    public async Task<Enrollment> EnrollAsync(RoleConfig config, string instanceId, string credential, CancellationToken cancellationToken)
    {
        var enrolled = await enrollment.EnrollAsync(config, instanceId, credential, channel, cancellationToken);
        _next = enrolled.NextRenewal;
        return enrolled;
    }

    /// <summary>Renews what is due now; reports each renewal, or the failure, through <paramref name="report"/>
    /// (a step, and an error or null).</summary>
    /// <returns>The certificates renewed; empty when none was due or the renewal failed.</returns>
    public async Task<IReadOnlyList<EnrolledCertificate>> RenewDueAsync(RoleConfig config, string instanceId, string credential,
        Action<string, string?> report, CancellationToken cancellationToken)
    {
        try
        {
            var enrolled = await EnrollAsync(config, instanceId, credential, cancellationToken);
            foreach (var renewed in enrolled.Installed)
            {
                report($"renewed {renewed.Identity} until {renewed.NotAfter:yyyy-MM-ddTHH:mm:ssZ}", null);
            }

            return enrolled.Installed;
        }
        catch (Exception e) when (e is RegistrarRefusedException or CertificateRejectedException)
        {
            _next = time.GetUtcNow() + timing.HealthInterval;
            log.LogError(e, "Renewing certificates failed; trying again at {Next:o}", _next);
            report("renew-certificates", $"{e.Message} (retrying in {timing.HealthInterval.TotalSeconds:0}s)");
            return [];
        }
    }
}
