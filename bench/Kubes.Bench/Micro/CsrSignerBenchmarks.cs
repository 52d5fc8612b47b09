using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Kubes.Controller.Pki;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Bench.Micro;

/// <summary>
/// <see cref="CsrSigner.Sign"/> of an etcd member certificate (two DNS and two IP SANs) with the PKI's CAs and the
/// CSR's key both of <see cref="Algorithm"/>: the CSR's signature checked, the certificate built and signed.
/// </summary>
[MemoryDiagnoser]
public class CsrSignerBenchmarks
{
    private ClusterPki _pki = null!;
    private CertificateIdentity _identity = null!;
    private string _csrPem = "";

    [Params(KeyAlgorithm.EcdsaP256, KeyAlgorithm.Rsa2048)]
    public KeyAlgorithm Algorithm { get; set; }

    [GlobalSetup]
    public void CreatePkiAndCsr()
    {
        var spec = ClusterSpecDefaults.Aws("bench") with { Pki = new PkiSpec { KeyAlgorithm = Algorithm } };
        var topology = ClusterTopology.From(spec);
        _pki = ClusterPki.Create(spec);
        _identity = new IssuancePolicy(topology).ForSlot(topology.SlotsOf(InstanceRole.Etcd).First()).Single();
        _csrPem = Algorithm == KeyAlgorithm.EcdsaP256
            ? EcdsaCsr()
            : RsaCsr();
    }

    [GlobalCleanup]
    public void DisposePki() => _pki.Dispose();

    [Benchmark]
    public IssuedCertificate Sign() => CsrSigner.Sign(_pki, _identity, _csrPem);

    /// <summary>The part of <see cref="Sign"/> that checks the CSR's self-signature; AgentRegistrar.CheckCsr does it once more.</summary>
    [Benchmark]
    public CertificateRequest CheckCsrSignature() =>
        CertificateRequest.LoadSigningRequestPem(_csrPem, HashAlgorithmName.SHA256);

    private static string EcdsaCsr()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest("CN=etcd-0", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
    }

    private static string RsaCsr()
    {
        using var key = RSA.Create(2048);
        return new CertificateRequest("CN=etcd-0", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequestPem();
    }
}
