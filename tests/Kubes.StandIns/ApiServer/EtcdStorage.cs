using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Kubes.StandIns.ApiServer;

/// <summary>
/// kube-apiserver's storage, reduced to what proves its etcd settings: through etcd's v3 JSON gateway on each
/// --etcd-servers member, with the etcd client certificate and the etcd CA (real mutual TLS), it writes a key under
/// --etcd-prefix and reads it back. Each member must have answered once before the apiserver is ready; after that, one
/// answering member keeps it ready, as a real etcd client balances over the members.
/// </summary>
public sealed class EtcdStorage(IReadOnlyList<Uri> members, string prefix, string writer, X509Certificate2? clientCertificate,
    X509Certificate2Collection? ca) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            CertificateChainPolicy = ca is null ? null : Files.Pem.TrustOnly(ca),
        },
        ConnectTimeout = TimeSpan.FromSeconds(2),
    }) { Timeout = TimeSpan.FromSeconds(5) };

    private readonly HashSet<Uri> _proven = [];
    private readonly Dictionary<Uri, string?> _lastProblem = [];

    /// <summary>Whether every member answered once and one answered last time.</summary>
    public bool Ready { get; private set; }

    /// <summary>Each member's last result: null when it stored and returned the key.</summary>
    public IReadOnlyDictionary<Uri, string?> LastProblems => _lastProblem;

    /// <summary>One round: every member writes and reads its key.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        foreach (var member in members)
        {
            var problem = await RoundTripAsync(member, cancellationToken);
            if (problem is null) _proven.Add(member);
            if (_lastProblem.GetValueOrDefault(member, "") != problem)
                Log.Info(problem is null ? $"etcd {member}: wrote and read {Key(member)}" : $"etcd {member}: {problem}");
            _lastProblem[member] = problem;
        }

        Ready = _proven.Count == members.Count && _lastProblem.Values.Any(p => p is null);
    }

    private string Key(Uri member) => $"{prefix.TrimEnd('/')}/kubes-stand-in/{writer}/{member.Authority}";

    private async Task<string?> RoundTripAsync(Uri member, CancellationToken cancellationToken)
    {
        var key = Key(member);
        var value = $"{DateTimeOffset.UtcNow:O} {Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
        try
        {
            using var put = await _http.PostAsJsonAsync(new Uri(member, "/v3/kv/put"), new { key = Base64(key), value = Base64(value) }, cancellationToken);
            if (!put.IsSuccessStatusCode) return $"put {key} answered {(int)put.StatusCode}: {await put.Content.ReadAsStringAsync(cancellationToken)}";
            using var range = await _http.PostAsJsonAsync(new Uri(member, "/v3/kv/range"), new { key = Base64(key) }, cancellationToken);
            if (!range.IsSuccessStatusCode) return $"range {key} answered {(int)range.StatusCode}";
            using var answer = JsonDocument.Parse(await range.Content.ReadAsStringAsync(cancellationToken));
            var read = answer.RootElement.TryGetProperty("kvs", out var kvs) && kvs.GetArrayLength() == 1
                ? Encoding.UTF8.GetString(Convert.FromBase64String(kvs[0].GetProperty("value").GetString()!))
                : null;
            return read == value ? null : $"read back {(read is null ? "nothing" : $"'{read}'")} for {key}, where '{value}' was written";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            return $"cannot reach it: {Describe(e)}";
        }
    }

    private static string Describe(Exception e) =>
        string.Join(": ", new[] { e.Message, e.InnerException?.Message, e.InnerException?.InnerException?.Message }.Where(m => m is not null).Distinct());

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    public void Dispose() => _http.Dispose();
}
