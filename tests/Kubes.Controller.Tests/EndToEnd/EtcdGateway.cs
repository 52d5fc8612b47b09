using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Kubes.Controller.Tests.Channels.Grpc;

namespace Kubes.Controller.Tests.EndToEnd;

/// <summary>
/// etcd's v3 JSON gateway (<c>/v3/kv/put</c>, <c>/v3/kv/range</c> on the client port), as a client holding a certificate
/// the cluster issued: one long-lived client that can write every 100 ms, where an etcdctl process per write could not.
/// </summary>
internal sealed class EtcdGateway : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="pki">A folder with <c>{stem}.crt</c>, <c>{stem}.key</c> and <c>{stem}-ca.crt</c>.</param>
    public EtcdGateway(string pki, string stem)
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Join(pki, $"{stem}-ca.crt")));
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [X509Certificate2.CreateFromPemFile(Path.Join(pki, $"{stem}.crt"), Path.Join(pki, $"{stem}.key"))],
                RemoteCertificateValidationCallback = GrpcAgentChannel.Pinned(ca),
            },
            ConnectTimeout = TimeSpan.FromSeconds(1),
        };
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(3) };
    }

    /// <summary>Whether etcd acknowledged the write (answered it with the revision it got).</summary>
    public async Task<bool> PutAsync(string endpoint, string key, string value, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.PostAsJsonAsync($"{endpoint}/v3/kv/put", new { key = Base64(key), value = Base64(value) },
                cancellationToken);
            if (!response.IsSuccessStatusCode) return false;
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            return answer.RootElement.TryGetProperty("header", out var header) && header.TryGetProperty("revision", out _);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Every key under <paramref name="prefix"/>, read linearizably.</summary>
    public async Task<IReadOnlySet<string>> KeysAsync(string endpoint, string prefix, CancellationToken cancellationToken)
    {
        var end = prefix[..^1] + (char)(prefix[^1] + 1);
        using var response = await _http.PostAsJsonAsync($"{endpoint}/v3/kv/range",
            new { key = Base64(prefix), range_end = Base64(end), keys_only = true }, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return answer.RootElement.TryGetProperty("kvs", out var kvs)
            ? kvs.EnumerateArray().Select(kv => Encoding.UTF8.GetString(Convert.FromBase64String(kv.GetProperty("key").GetString()!))).ToHashSet()
            : new HashSet<string>();
    }

    public void Dispose() => _http.Dispose();

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
