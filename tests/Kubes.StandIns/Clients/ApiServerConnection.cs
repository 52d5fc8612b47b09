using System.Net.Security;
using System.Text;
using System.Text.Json.Nodes;
using Kubes.StandIns.Configs;

namespace Kubes.StandIns.Clients;

/// <summary>
/// A component's connection to the API server its kubeconfig names: its client certificate, the server's certificate
/// verified against the kubeconfig's CA (and the server's name), and a GET of /api, which only an authenticated client
/// is answered. Retried while the server is not up, as the real components keep trying. Requests to the API
/// (<see cref="SendAsync"/>) go over the same client and certificate.
/// </summary>
public sealed class ApiServerConnection(Kubeconfig kubeconfig) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            ClientCertificates = [kubeconfig.ClientCertificate],
            TargetHost = kubeconfig.TlsServerName,
            CertificateChainPolicy = Files.Pem.TrustOnly(kubeconfig.Ca),
        },
        ConnectTimeout = TimeSpan.FromSeconds(2),
    }) { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>Whether the server answered this component once.</summary>
    public bool Connected { get; private set; }

    public string? LastProblem { get; private set; } = "not tried yet";

    /// <summary>Tries until the server answers, then keeps checking it every few seconds.</summary>
    public async Task KeepConnectedAsync(CancellationToken cancellationToken)
    {
        var url = new Uri(kubeconfig.Server, "/api");
        while (!cancellationToken.IsCancellationRequested)
        {
            string? problem;
            try
            {
                using var response = await _http.GetAsync(url, cancellationToken);
                problem = response.IsSuccessStatusCode ? null : $"GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                problem = $"GET {url}: {Describe(e)}";
            }

            if (problem != LastProblem)
                Log.Info(problem ?? $"connected to {kubeconfig.Server} as {kubeconfig.ClientCertificate.Subject}");
            LastProblem = problem;
            Connected |= problem is null;
            try
            {
                await Task.Delay(Connected ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>
    /// One API request as this component: the status code and the JSON object answered (the object, or a Status).
    /// Throws <see cref="HttpRequestException"/> or <see cref="TaskCanceledException"/> when the server cannot be reached.
    /// </summary>
    public async Task<ApiAnswer> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(kubeconfig.Server, path));
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new ApiAnswer((int)response.StatusCode, ObjectIn(text));
    }

    private static JsonObject? ObjectIn(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Why a request did not reach the server: the error and its cause (a refused connection, a TLS failure).</summary>
    public static string Describe(Exception e) => string.Join(": ", new[] { e.Message, e.InnerException?.Message }.Where(m => m is not null));

    public void Dispose() => _http.Dispose();
}
