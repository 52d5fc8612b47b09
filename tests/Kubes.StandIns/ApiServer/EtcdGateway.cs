using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kubes.StandIns.ApiServer;

/// <summary>
/// etcd's v3 JSON gateway (/v3/kv/range, put, txn, deleterange) on the --etcd-servers members, with the etcd client
/// certificate and the etcd CA: real mutual TLS, as kube-apiserver's etcd client has. A call names its member, or
/// tries them in order and is served by the first that answers. Keys and values are text here, base64 on the wire.
/// </summary>
public sealed class EtcdGateway(IReadOnlyList<Uri> members, X509Certificate2? clientCertificate, X509Certificate2Collection? ca) : IDisposable
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

    public IReadOnlyList<Uri> Members => members;

    /// <summary>The keys from <paramref name="key"/> up to <paramref name="rangeEnd"/> (just the key when null).</summary>
    public async Task<EtcdRange> RangeAsync(string key, string? rangeEnd = null, Uri? member = null, CancellationToken cancellationToken = default)
    {
        var request = new JsonObject { ["key"] = Base64(key) };
        if (rangeEnd is not null) request["range_end"] = Base64(rangeEnd);
        var answer = await CallAsync("range", request, member, cancellationToken);
        return new EtcdRange(Revision(answer), Entries(answer["kvs"]));
    }

    public Task PutAsync(string key, string value, Uri? member = null, CancellationToken cancellationToken = default) =>
        CallAsync("put", new JsonObject { ["key"] = Base64(key), ["value"] = Base64(value) }, member, cancellationToken);

    /// <summary>
    /// Puts the key only while <paramref name="modRevision"/> is still its last change (0: while it does not exist):
    /// whether it did, and the store's revision after the transaction, which is the key's new mod_revision.
    /// </summary>
    public async Task<(bool Succeeded, long Revision)> PutIfUnchangedAsync(string key, long modRevision, string value, CancellationToken cancellationToken)
    {
        // A key that does not exist has no mod_revision to compare: its create_revision is 0.
        var compare = modRevision == 0
            ? new JsonObject { ["key"] = Base64(key), ["result"] = "EQUAL", ["target"] = "CREATE", ["create_revision"] = "0" }
            : new JsonObject { ["key"] = Base64(key), ["result"] = "EQUAL", ["target"] = "MOD", ["mod_revision"] = modRevision.ToString() };
        var answer = await CallAsync("txn", new JsonObject
        {
            ["compare"] = new JsonArray(compare),
            ["success"] = new JsonArray(new JsonObject { ["request_put"] = new JsonObject { ["key"] = Base64(key), ["value"] = Base64(value) } }),
        }, null, cancellationToken);
        // The gateway leaves out fields at their default value: a failed transaction has no "succeeded".
        return (answer["succeeded"]?.GetValue<bool>() == true, Revision(answer));
    }

    /// <summary>Deletes the key: what it held, or null when there was no such key.</summary>
    public async Task<EtcdEntry?> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("deleterange", new JsonObject { ["key"] = Base64(key), ["prev_kv"] = true }, null, cancellationToken);
        return Entries(answer["prev_kvs"]).SingleOrDefault();
    }

    private async Task<JsonNode> CallAsync(string call, JsonObject request, Uri? member, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        foreach (var candidate in member is null ? members : [member])
        {
            HttpResponseMessage response;
            try
            {
                response = await _http.PostAsJsonAsync(new Uri(candidate, $"/v3/kv/{call}"), request, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                problems.Add($"{candidate}: {Describe(e)}");
                continue;
            }

            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (!response.IsSuccessStatusCode)
                    throw new EtcdException($"etcd {candidate} answered {call} with {(int)response.StatusCode}: {body}", reached: true);
                try
                {
                    return JsonNode.Parse(body) ?? throw new JsonException("null");
                }
                catch (JsonException e)
                {
                    throw new EtcdException($"etcd {candidate} answered {call} with what is not JSON ({e.Message}): {body}", reached: true);
                }
            }
        }

        throw new EtcdException($"no etcd member answered: {string.Join("; ", problems)}", reached: false);
    }

    private static long Revision(JsonNode answer) => Number(answer["header"]?["revision"]);

    private static List<EtcdEntry> Entries(JsonNode? kvs) =>
        kvs?.AsArray().Select(kv => new EtcdEntry(Text(kv!["key"]), Text(kv["value"]), Number(kv["create_revision"]), Number(kv["mod_revision"]))).ToList() ?? [];

    /// <summary>int64 fields come as strings, and are left out when 0.</summary>
    private static long Number(JsonNode? node) => node is null ? 0 : long.Parse(node.ToString());

    private static string Text(JsonNode? node) => node is null ? "" : Encoding.UTF8.GetString(Convert.FromBase64String(node.GetValue<string>()));

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Describe(Exception e) =>
        string.Join(": ", new[] { e.Message, e.InnerException?.Message, e.InnerException?.InnerException?.Message }.Where(m => m is not null).Distinct());

    public void Dispose() => _http.Dispose();
}

/// <summary>A key as a range read it: its value and the revisions that created and last changed it.</summary>
public sealed record EtcdEntry(string Key, string Value, long CreateRevision, long ModRevision);

/// <summary>What a range read, at the store's revision then.</summary>
public sealed record EtcdRange(long Revision, IReadOnlyList<EtcdEntry> Entries);

/// <summary>An etcd call that failed: <see cref="Reached"/> is false when no member answered at all.</summary>
public sealed class EtcdException(string message, bool reached) : Exception(message)
{
    public bool Reached => reached;
}
