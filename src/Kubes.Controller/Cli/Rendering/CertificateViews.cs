using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Pki;

namespace Kubes.Controller.Cli.Rendering;

public static class CertificateViews
{
    public static IReadOnlyList<CertificateView> From(IssuancePolicy policy) => [.. policy.All().Select(From)];

    public static CertificateView From(CertificateIdentity identity) => new(
        identity.Name,
        identity.Issuer.Slug(),
        identity.CommonName,
        identity.Organizations,
        identity.DnsNames,
        [.. identity.IpAddresses.Select(ip => ip.ToString())],
        KeyUsages(identity.KeyUsage),
        ExtendedUsages(identity.ExtendedKeyUsages),
        (int)Math.Round(identity.Lifetime.TotalDays));

    private static IReadOnlyList<string> KeyUsages(X509KeyUsageFlags flags) =>
        [.. Enum.GetValues<X509KeyUsageFlags>().Where(f => f != X509KeyUsageFlags.None && flags.HasFlag(f))
            .Select(f => char.ToLowerInvariant(f.ToString()[0]) + f.ToString()[1..])];

    private static IReadOnlyList<string> ExtendedUsages(ExtendedKeyUsages usages)
    {
        var names = new List<string>();
        if (usages.HasFlag(ExtendedKeyUsages.ServerAuth)) names.Add("serverAuth");
        if (usages.HasFlag(ExtendedKeyUsages.ClientAuth)) names.Add("clientAuth");
        return names;
    }
}
