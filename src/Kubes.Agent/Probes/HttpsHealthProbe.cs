using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kubes.Agent.Tls;

namespace Kubes.Agent.Probes;

/// <summary>What a health endpoint is and how to reach it: the CA its serving certificate must chain to, and the client
/// certificate and key to present when it asks for one (etcd's /health, kube-apiserver's /livez and /readyz).</summary>
/// <param name="CaFile">Null only for <see cref="OnLoopback"/>.</param>
public sealed record HttpsProbeTarget(Uri Url, string? CaFile, string? ClientCertificateFile = null, string? ClientKeyFile = null)
{
    /// <summary>
    /// An endpoint on this instance's loopback that serves a certificate it made for itself, which no CA signs
    /// (kube-controller-manager's and kube-scheduler's secure ports): its certificate is not checked, which is safe only
    /// because the connection never leaves the instance. Refuses any other address.
    /// </summary>
    public static HttpsProbeTarget OnLoopback(Uri url) =>
        url.IsLoopback && System.Net.IPAddress.TryParse(url.Host.Trim('[', ']'), out _)
            ? new HttpsProbeTarget(url, null)
            : throw new ArgumentException($"{url} is not a loopback address: a certificate is checked against its CA anywhere else", nameof(url));
}

/// <param name="Answered">Whether an HTTP answer came at all; when not, <see cref="Detail"/> says why.</param>
/// <param name="Detail">The URL with the status and body, or with the reason nothing answered: for reports.</param>
public sealed record ProbeAnswer(bool Answered, int StatusCode, string Body, string Detail)
{
    public bool IsSuccess => Answered && StatusCode is >= 200 and < 300;
}

/// <summary>
/// One GET over TLS, trusting only the target's CA (never the system's store), presenting the client certificate when one
/// is given. Each component judges the answer (etcd reads its JSON, the apiserver's <c>ok</c> is plain text).
/// </summary>
public sealed class HttpsHealthProbe
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<ProbeAnswer> GetAsync(HttpsProbeTarget target, CancellationToken cancellationToken)
    {
        var url = target.Url.AbsoluteUri;
        PinnedRootValidator? validator = null;
        try
        {
            using var ca = target.CaFile is { } caFile ? X509CertificateLoader.LoadCertificateFromFile(caFile) : null;
            using var client = target.ClientCertificateFile is { } certificate
                ? X509Certificate2.CreateFromPemFile(certificate, target.ClientKeyFile)
                : null;
            validator = ca is null ? null : PinnedRootValidator.ForRoot(ca);
            using var handler = PinnedTlsHandler.Create(validator is null ? (_, _, _, _) => target.Url.IsLoopback : validator.Validate, client, Timeout);

            using var http = new HttpClient(handler) { Timeout = Timeout };
            using var response = await http.GetAsync(target.Url, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return new ProbeAnswer(true, (int)response.StatusCode, body, $"{url}: {(int)response.StatusCode} {body.Trim()}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or CryptographicException
                                  && !cancellationToken.IsCancellationRequested)
        {
            var reason = validator?.LastFailure ?? (e.InnerException is { } inner ? $"{e.Message}: {inner.Message}" : e.Message);
            return new ProbeAnswer(false, 0, "", $"{url}: {reason}");
        }
    }
}
