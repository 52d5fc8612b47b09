using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CsCheck;
using Kubes.Controller.Pki;
using Kubes.Controller.Tests.Pki.Support;

namespace Kubes.Controller.Tests.Pki;

/// <summary>Whatever a request asks for, the certificate carries the policy's names and nothing else.</summary>
public class CsrSignerPropertyTests(LocalPkiFixture cluster) : IClassFixture<LocalPkiFixture>
{
    // Key generation dominates the cost, RSA's especially: requests draw from a fixed pool.
    private static readonly AsymmetricAlgorithm[] Keys =
    [
        ECDsa.Create(ECCurve.NamedCurves.nistP256),
        ECDsa.Create(ECCurve.NamedCurves.nistP256),
        ECDsa.Create(ECCurve.NamedCurves.nistP384),
        RSA.Create(2048),
        RSA.Create(3072),
    ];

    private static readonly Gen<string> Label = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"], 1, 12];

    private static readonly Gen<string> DnsName = Label.Array[1, 4].Select(labels => string.Join('.', labels));

    private static readonly Gen<string> Attribute = Gen.OneOf(
        Gen.Const("system:masters"), Gen.Const("system:nodes"), Gen.Const("system:node:node-1"), Gen.Const("kube-apiserver"),
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789:-. "], 1, 40]);

    private static readonly Gen<IPAddress> Ip = Gen.OneOf(
        Gen.Byte.Array[4].Select(b => new IPAddress(b)),
        Gen.Byte.Array[16].Select(b => new IPAddress(b)));

    private static readonly Gen<X500DistinguishedName> Subject =
        Gen.Select(Attribute, Attribute.Array[0, 3], (cn, organizations) =>
        {
            var builder = new X500DistinguishedNameBuilder();
            foreach (var organization in organizations) builder.AddOrganizationName(organization);
            builder.AddCommonName(cn);
            return builder.Build();
        });

    private sealed record Request(int Identity, int Key, X500DistinguishedName Subject, string[] DnsNames,
        IPAddress[] IpAddresses, bool AskForCa, bool AskForEveryUsage)
    {
        public override string ToString() =>
            $"identity #{Identity}, key #{Key}, subject '{Subject.Name}', DNS [{string.Join(", ", DnsNames)}], "
            + $"IP [{string.Join(", ", (object[])IpAddresses)}], CA {AskForCa}, every usage {AskForEveryUsage}";
    }

    [Fact]
    public void The_issued_names_and_usages_are_always_the_policys()
    {
        var identities = cluster.Policy.All();
        var requests = Gen.Select(Gen.Int[0, identities.Count - 1], Gen.Int[0, Keys.Length - 1], Subject,
                DnsName.Array[0, 5], Ip.Array[0, 4], Gen.Bool, Gen.Bool)
            .Select((identity, key, subject, dns, ips, ca, usages) =>
                new Request(identity, key, subject, dns, ips, ca, usages));

        requests.Sample(request =>
        {
            var identity = identities[request.Identity];
            var key = Keys[request.Key];
            string csr;
            lock (key)
            {
                csr = TestCsr.For(key, request.Subject, request.DnsNames, request.IpAddresses, request.AskForCa,
                    request.AskForEveryUsage ? ["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.3", "2.5.29.37.0"] : null);
            }

            using var certificate = X509Certificate2.CreateFromPem(CsrSigner.Sign(cluster.Pki, identity, csr).CertificatePem);

            Assert.Equal(
                [.. identity.Organizations.Select(o => ("2.5.4.10", o)), ("2.5.4.3", identity.CommonName)],
                certificate.SubjectName.EnumerateRelativeDistinguishedNames()
                    .Select(rdn => (rdn.GetSingleElementType().Value, rdn.GetSingleElementValue())));
            var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SingleOrDefault();
            Assert.Equal(identity.DnsNames, names?.EnumerateDnsNames() ?? []);
            Assert.Equal(identity.IpAddresses, names?.EnumerateIPAddresses() ?? []);
            Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
            Assert.Equal(identity.KeyUsageFor(key is RSA),
                certificate.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
            Assert.Equal(
                ExpectedEkus(identity.ExtendedKeyUsages),
                certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages
                    .Cast<Oid>().Select(o => o.Value));
            // basicConstraints, keyUsage, extendedKeyUsage, both key identifiers, and the names if the policy has any.
            Assert.Equal(names is null ? 5 : 6, certificate.Extensions.Count);
            Assert.Equal(key.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
        }, iter: 300);
    }

    private static IEnumerable<string> ExpectedEkus(ExtendedKeyUsages usages)
    {
        if (usages.HasFlag(ExtendedKeyUsages.ServerAuth)) yield return "1.3.6.1.5.5.7.3.1";
        if (usages.HasFlag(ExtendedKeyUsages.ClientAuth)) yield return "1.3.6.1.5.5.7.3.2";
    }
}
