namespace Kubes.Agent.Probes;

/// <summary>
/// One GET over plain HTTP, for the health endpoints a component serves without TLS on the instance's own addresses
/// (the kubelet's healthz on loopback, kube-proxy's on the node's address). Each component judges the answer.
/// </summary>
public sealed class HttpHealthProbe
{
    public async Task<ProbeAnswer> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = HttpsHealthProbe.Timeout })
            {
                Timeout = HttpsHealthProbe.Timeout,
            };
            using var response = await http.GetAsync(url, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return new ProbeAnswer(true, (int)response.StatusCode, body, $"{url.AbsoluteUri}: {(int)response.StatusCode} {body.Trim()}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new ProbeAnswer(false, 0, "", $"{url.AbsoluteUri}: {(e.InnerException is { } inner ? $"{e.Message}: {inner.Message}" : e.Message)}");
        }
    }
}
