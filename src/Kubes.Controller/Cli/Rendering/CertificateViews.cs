using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Pki;
using Kubes.Controller.Providers;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Cli.Rendering;

/// <summary>The PKI as the plan shows it: the CAs, the service-account key pair and every certificate identity.</summary>
public static class CertificateViews
{
    /// <summary>
    /// Every certificate the PKI issues, with the key usage it is issued with: the agents' keys are of the
    /// spec's algorithm, the coordinator's own key is always ECDSA. The coordinator's certificate is shown for
    /// the default <c>--listen</c> address, which <see cref="CertificateView.ListenAddress"/> names.
    /// </summary>
    public static IReadOnlyList<CertificateView> From(ClusterTopology topology, IssuancePolicy policy)
    {
        var agentKeyIsRsa = topology.Spec.Pki.KeyAlgorithm != KeyAlgorithm.EcdsaP256;
        var listen = CoordinatorListen.Default(topology).Address;
        var coordinator = From(CoordinatorCertificate.IdentityFor(policy, listen, []), CoordinatorCertificate.KeyIsRsa)
            with { ListenAddress = listen.ToString() };
        return [.. policy.All().Select(identity => From(identity, agentKeyIsRsa)), coordinator];
    }

    public static CertificateView From(CertificateIdentity identity, bool rsaKey) => new(
        identity.Name,
        identity.Issuer.Slug(),
        identity.CommonName,
        identity.Organizations,
        identity.DnsNames,
        [.. identity.IpAddresses.Select(ip => ip.ToString())],
        KeyUsages(identity.KeyUsageFor(rsaKey)),
        ExtendedUsages(identity.ExtendedKeyUsages),
        Lifetime.FromMinutes((int)identity.Lifetime.TotalMinutes).ToString());

    /// <summary>The three CAs <c>kubes up</c> creates (or <c>kubes pki init</c> writes) for the spec.</summary>
    public static IReadOnlyList<AuthorityView> Authorities(ClusterSpec spec) =>
        [.. Enum.GetValues<CertificateAuthorityKind>().Select(kind => new AuthorityView(
            kind.Slug(),
            CertificateAuthority.CommonNameFor(spec.Name, kind),
            spec.Pki.KeyAlgorithm.ToSpecName(),
            KeyUsages(CertificateAuthority.KeyUsage),
            spec.Pki.CaLifetime.ToString()))];

    public static ServiceAccountKeyView ServiceAccountKey(ClusterSpec spec) =>
        new(ServiceAccountKeyPair.AlgorithmFor(spec.Pki).ToSpecName(), "RS256");

    /// <summary>The key usage bits in RFC 5280's order, with its names (what <c>openssl x509 -text</c> shows, in camel case).</summary>
    private static readonly (X509KeyUsageFlags Flag, string Name)[] KeyUsageNames =
    [
        (X509KeyUsageFlags.DigitalSignature, "digitalSignature"), (X509KeyUsageFlags.NonRepudiation, "nonRepudiation"),
        (X509KeyUsageFlags.KeyEncipherment, "keyEncipherment"), (X509KeyUsageFlags.DataEncipherment, "dataEncipherment"),
        (X509KeyUsageFlags.KeyAgreement, "keyAgreement"), (X509KeyUsageFlags.KeyCertSign, "keyCertSign"),
        (X509KeyUsageFlags.CrlSign, "cRLSign"), (X509KeyUsageFlags.EncipherOnly, "encipherOnly"),
        (X509KeyUsageFlags.DecipherOnly, "decipherOnly"),
    ];

    private static IReadOnlyList<string> KeyUsages(X509KeyUsageFlags flags) =>
        [.. KeyUsageNames.Where(usage => flags.HasFlag(usage.Flag)).Select(usage => usage.Name)];

    private static IReadOnlyList<string> ExtendedUsages(ExtendedKeyUsages usages)
    {
        var names = new List<string>();
        if (usages.HasFlag(ExtendedKeyUsages.ServerAuth)) names.Add("serverAuth");
        if (usages.HasFlag(ExtendedKeyUsages.ClientAuth)) names.Add("clientAuth");
        return names;
    }
}
