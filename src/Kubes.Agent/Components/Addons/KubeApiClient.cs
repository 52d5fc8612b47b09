using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Kubes.Agent.Tls;

namespace Kubes.Agent.Components.Addons;

/// <summary>
/// Raw REST calls to a Kubernetes apiserver: a path, a JSON body, and the answer's status code and body, whatever they
/// are (each caller decides what a 404 or a 409 means). Over mutual TLS it presents a client certificate and trusts only the
/// cluster's CA file. A call that gets no answer at all throws <see cref="KubeApiException"/>; retrying is the caller's.
/// </summary>
public sealed class KubeApiClient : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly IReadOnlyList<IDisposable> _owned;
    private readonly PinnedRootValidator? _validator;

    public KubeApiClient(Uri server, HttpMessageHandler handler, bool disposeHandler = true)
        : this(server, handler, disposeHandler, [], null)
    {
    }

    private KubeApiClient(Uri server, HttpMessageHandler handler, bool disposeHandler, IReadOnlyList<IDisposable> owned,
        PinnedRootValidator? validator)
    {
        _http = new HttpClient(handler, disposeHandler) { BaseAddress = server, Timeout = Timeout };
        _owned = owned;
        _validator = validator;
    }

    /// <summary>Reads the files on every call, so a renewed certificate is presented from the next client on.</summary>
    public static KubeApiClient OverMutualTls(Uri server, string certificateFile, string keyFile, string caFile)
    {
        var ca = X509CertificateLoader.LoadCertificateFromFile(caFile);
        X509Certificate2 client;
        try
        {
            client = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        }
        catch
        {
            ca.Dispose();
            throw;
        }

        var validator = PinnedRootValidator.ForRoot(ca);
        return new KubeApiClient(server, PinnedTlsHandler.Create(validator.Validate, client, Timeout), true, [ca, client], validator);
    }

    public Task<ApiAnswer> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, "", null, null, cancellationToken);

    public Task<ApiAnswer> PostAsync(string path, string json, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, "", json, "application/json", cancellationToken);

    public Task<ApiAnswer> PutAsync(string path, string json, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, path, "", json, "application/json", cancellationToken);

    /// <summary>A server-side apply of the object at <paramref name="path"/>, taking over any field another manager set.</summary>
    public Task<ApiAnswer> ApplyAsync(string path, string json, string fieldManager, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Patch, path, $"?fieldManager={Uri.EscapeDataString(fieldManager)}&force=true", json,
            "application/apply-patch+yaml", cancellationToken);

    public Task<ApiAnswer> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, path, "", null, null, cancellationToken);

    private async Task<ApiAnswer> SendAsync(HttpMethod method, string path, string query, string? json, string? contentType,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path + query);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            // Without a charset parameter: the media type alone names the patch type.
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType!);
        }

        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return new ApiAnswer(method.Method, path, (int)response.StatusCode, body);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or CryptographicException
                                  && !cancellationToken.IsCancellationRequested)
        {
            var reason = _validator?.LastFailure ?? (e.InnerException is { } inner ? $"{e.Message}: {inner.Message}" : e.Message);
            throw new KubeApiException($"{method.Method} {_http.BaseAddress}{path.TrimStart('/')} got no answer: {reason}", e);
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        foreach (var owned in _owned) owned.Dispose();
    }
}
