using System.Security.Cryptography.X509Certificates;
using Kubes.Protos.Contract;
using Microsoft.Extensions.Logging;

namespace Kubes.Controller.Pki;

/// <summary>
/// The serving certificate of a long-running <c>kubes serve</c>, kept current: issued at start, and again once two thirds
/// of its validity have passed (the rule agents follow for theirs), so agents never meet an expired coordinator. Each
/// certificate is announced to <c>issued</c> (the issuance record) before TLS hands it out. New handshakes get the new
/// one; connections already open keep theirs.
/// </summary>
public sealed class CoordinatorServingCertificate : IDisposable
{
    private readonly Func<X509Certificate2> _issue;
    private readonly Func<X509Certificate2, CancellationToken, Task> _issued;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private volatile X509Certificate2 _current;
    // Kept until the next renewal: a handshake that picked it up just before the swap may still be using it.
    private X509Certificate2? _previous;

    private CoordinatorServingCertificate(X509Certificate2 first, Func<X509Certificate2> issue,
        Func<X509Certificate2, CancellationToken, Task> issued, TimeProvider time, ILogger log)
    {
        _current = first;
        _issue = issue;
        _issued = issued;
        _time = time;
        _log = log;
    }

    /// <param name="issue">A fresh certificate with its private key (<see cref="CoordinatorCertificate.Issue"/>).</param>
    /// <param name="issued">Records each certificate before it is used.</param>
    public static async Task<CoordinatorServingCertificate> IssueAsync(Func<X509Certificate2> issue,
        Func<X509Certificate2, CancellationToken, Task> issued, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        var first = issue();
        try
        {
            await issued(first, cancellationToken);
        }
        catch
        {
            first.Dispose();
            throw;
        }
        return new CoordinatorServingCertificate(first, issue, issued, time, log);
    }

    /// <summary>What a TLS handshake presents now.</summary>
    public X509Certificate2 Current => _current;

    /// <summary>When <see cref="Current"/> is replaced.</summary>
    public DateTimeOffset RenewsAt =>
        CertificateRenewal.At(_current.NotBefore.ToUniversalTime(), _current.NotAfter.ToUniversalTime(), CertificateRenewal.From);

    /// <summary>Renews the certificate each time it is due, until cancelled. A failed renewal is logged and tried again a
    /// minute later (or sooner, before the certificate expires).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var retry = TimeSpan.Zero;
        while (!cancellationToken.IsCancellationRequested)
        {
            var due = retry > TimeSpan.Zero ? _time.GetUtcNow() + retry : RenewsAt;
            try
            {
                var wait = due - _time.GetUtcNow();
                if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, cancellationToken);
                await RenewAsync(cancellationToken);
                retry = TimeSpan.Zero;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                var left = _current.NotAfter.ToUniversalTime() - _time.GetUtcNow().UtcDateTime;
                retry = TimeSpan.FromTicks(Math.Clamp(left.Ticks / 4, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromMinutes(1).Ticks));
                _log.LogError(e, "Renewing the coordinator's serving certificate (valid until {NotAfter:o}) failed; retrying in {Delay}",
                    _current.NotAfter.ToUniversalTime(), retry);
            }
        }
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        var renewed = _issue();
        try
        {
            await _issued(renewed, cancellationToken);
        }
        catch
        {
            renewed.Dispose();
            throw;
        }
        _previous?.Dispose();
        _previous = _current;
        _current = renewed;
        _log.LogInformation("Renewed the coordinator's serving certificate: serial {Serial}, valid until {NotAfter:o}",
            renewed.SerialNumber, renewed.NotAfter.ToUniversalTime());
    }

    public void Dispose()
    {
        _current.Dispose();
        _previous?.Dispose();
    }
}
