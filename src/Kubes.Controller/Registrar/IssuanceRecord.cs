using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Kubes.Controller.State;

namespace Kubes.Controller.Registrar;

/// <summary>One certificate the coordinator issued, as the issuance record keeps it.</summary>
/// <param name="Holder">The instance id it was issued to, or <see cref="IssuanceRecord.CoordinatorHolder"/> for the
/// serving certificate of <c>kubes serve</c>.</param>
/// <param name="Name">The holder's slot (<c>etcd-0</c>), a group node's instance id, or <c>kubes serve</c>.</param>
/// <param name="Identity">The policy's identity name (<c>etcd-member/etcd-0</c>).</param>
/// <param name="Subject">Most specific part first, as RFC 4514 writes it (<c>CN=system:node:node-0, O=system:nodes</c>).</param>
/// <param name="Issuer">The issuing CA's subject (<c>CN=kubes-demo-etcd-ca</c>).</param>
/// <param name="SerialNumber">Upper-case hex, as <c>openssl x509 -serial</c> shows it.</param>
public sealed record IssuedCertificateEntry(
    string Holder,
    string Name,
    string Identity,
    string Subject,
    string Issuer,
    string SerialNumber,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    DateTimeOffset IssuedAt)
{
    /// <summary>What the record keeps of <paramref name="certificate"/>, issued to <paramref name="holder"/> now.</summary>
    public static IssuedCertificateEntry Of(string holder, string name, string identity, X509Certificate2 certificate,
        DateTimeOffset issuedAt) =>
        new(holder, name, identity, certificate.SubjectName.Name, certificate.IssuerName.Name, certificate.SerialNumber,
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime()), new DateTimeOffset(certificate.NotAfter.ToUniversalTime()),
            issuedAt);

    /// <summary>The whole span the certificate is valid for.</summary>
    public TimeSpan Validity => NotAfter - NotBefore;
}

/// <summary>The certificates issued to one holder for one identity: the newest, and how many it superseded.</summary>
/// <param name="Issued">Oldest first; the newest alone unless every issuance was asked for.</param>
public sealed record IssuedCertificateHistory(IReadOnlyList<IssuedCertificateEntry> Issued, int Count)
{
    public IssuedCertificateEntry Newest => Issued[^1];

    public int Superseded => Count - 1;
}

/// <summary>
/// Every certificate the coordinator issues, one object per issuance in the state store
/// (<c>pki/issued/&lt;holder&gt;/&lt;identity&gt;/&lt;issued at&gt;-&lt;serial&gt;.json</c>), written before the certificate is
/// handed out. Keys sort by time, so the newest per holder and identity is found by listing, and only it is read.
/// </summary>
public sealed class IssuanceRecord(IStateStore store)
{
    public const string Prefix = "pki/issued/";

    /// <summary>The holder named for the certificate <c>kubes serve</c> issues itself.</summary>
    public const string CoordinatorHolder = "coordinator";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public Task RecordAsync(IssuedCertificateEntry entry, CancellationToken cancellationToken = default)
    {
        var key = KeyOf(entry);
        return store.PutAsync(key, JsonSerializer.SerializeToUtf8Bytes(entry, Json), cancellationToken: cancellationToken);
    }

    /// <summary>Per holder and identity, ordered by holder then identity; with <paramref name="everyIssuance"/> every
    /// certificate issued, otherwise the newest only (and the count of those it superseded, from the listing alone).</summary>
    public async Task<IReadOnlyList<IssuedCertificateHistory>> ListAsync(bool everyIssuance, CancellationToken cancellationToken = default)
    {
        var keys = await store.ListAsync(Prefix, cancellationToken);
        var histories = new List<IssuedCertificateHistory>();
        foreach (var group in keys.Where(k => k.EndsWith(".json", StringComparison.Ordinal))
                     .GroupBy(k => k[..k.LastIndexOf('/')], StringComparer.Ordinal)
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ordered = group.Order(StringComparer.Ordinal).ToList();
            var read = new List<IssuedCertificateEntry>();
            foreach (var key in everyIssuance ? ordered : [ordered[^1]])
            {
                if (await store.GetAsync(key, cancellationToken) is { } stored
                    && JsonSerializer.Deserialize<IssuedCertificateEntry>(stored.Content, Json) is { } entry)
                {
                    read.Add(entry);
                }
            }
            if (read.Count > 0) histories.Add(new IssuedCertificateHistory(read, ordered.Count));
        }
        return histories;
    }

    private static string KeyOf(IssuedCertificateEntry entry)
    {
        var at = entry.IssuedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss.fffffff'Z'", CultureInfo.InvariantCulture);
        var key = $"{Prefix}{entry.Holder}/{entry.Identity}/{at}-{entry.SerialNumber}.json";
        return StateKey.IsValid(key)
            ? key
            : throw new ArgumentException(
                $"the certificate of '{entry.Identity}' for '{entry.Holder}' cannot be recorded: its names are not state key segments",
                nameof(entry));
    }
}
