using System.Security.Cryptography;
using System.Text;
using Kubes.Controller.Spec;
using Kubes.Controller.State;

namespace Kubes.Controller.Components.KubeApiServer;

/// <summary>
/// The controllers' service-account public keys in the cluster's state store, one per controller slot
/// (<c>kube-apiserver/service-account-keys/&lt;slot&gt;.pem</c>): each controller makes its key pair on the instance and
/// sends only the public half; every apiserver is handed all of them, so a token signed on one controller is accepted by
/// all. A replacement instance of a slot brings its own key, which replaces the slot's (tokens its predecessor signed are
/// no longer accepted: pods get new ones as they renew them).
/// </summary>
public sealed class ServiceAccountPublicKeys(IStateStore store)
{
    public const string Prefix = "kube-apiserver/service-account-keys/";
    public const string Extension = ".pem";
    public const int MinimumBits = 2048;
    public const int MaximumBits = 4096;

    /// <summary>The key in the one form both sides write (SubjectPublicKeyInfo PEM, as .NET exports it).</summary>
    /// <exception cref="FormatException">Not one PEM RSA public key of 2048 to 4096 bits.</exception>
    public static string Normalize(string pem)
    {
        using var rsa = RSA.Create();
        try
        {
            if (pem.Contains("PRIVATE", StringComparison.Ordinal)) throw new FormatException("it holds a private key, which never leaves its controller");
            rsa.ImportFromPem(pem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new FormatException($"it is not an RSA public key in PEM: {e.Message}", e);
        }

        if (rsa.KeySize is < MinimumBits or > MaximumBits)
            throw new FormatException($"it is an RSA key of {rsa.KeySize} bits; controllers make keys of {MinimumBits} to {MaximumBits} bits");
        return rsa.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>Records <paramref name="slot"/>'s key (already <see cref="Normalize"/>d); writing the same key again changes nothing.</summary>
    public Task RecordAsync(string slot, string normalizedPem, CancellationToken cancellationToken) =>
        store.PutAsync(KeyOf(slot), Encoding.ASCII.GetBytes(normalizedPem), cancellationToken: cancellationToken);

    /// <summary>Every recorded key, by slot name.</summary>
    public async Task<EquatableMap<string>> LoadAsync(CancellationToken cancellationToken)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in await store.ListAsync(Prefix, cancellationToken))
        {
            if (!key.EndsWith(Extension, StringComparison.Ordinal) || await store.GetAsync(key, cancellationToken) is not { } stored) continue;
            keys[key[Prefix.Length..^Extension.Length]] = Encoding.ASCII.GetString(stored.Content);
        }

        return EquatableMap.Of(keys);
    }

    private static string KeyOf(string slot) =>
        slot.Length > 0 && slot.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? Prefix + slot + Extension
            : throw new ArgumentException($"'{slot}' is not a slot name", nameof(slot));
}
