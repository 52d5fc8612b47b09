using System.Security.Cryptography.X509Certificates;
using Kubes.Agent.Channels;
using Kubes.Agent.Configuration;
using Kubes.Agent.Pki;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Agent.Tests.Pki;

public sealed class CertificateEnrollmentTests : IDisposable
{
    private readonly TempRoot _root = new();
    private readonly TestCertificateAuthority _ca = new("etcd CA");

    public void Dispose()
    {
        _root.Dispose();
        _ca.Dispose();
    }

    private (CertificateEnrollment Enrollment, PkiFiles Files) Enrollment()
    {
        var files = new PkiFiles(new AgentPaths(_root.Path));
        return (new CertificateEnrollment(new KeyStore(files, NullLogger<KeyStore>.Instance), files, TimeProvider.System,
            NullLogger<CertificateEnrollment>.Instance), files);
    }

    private static RoleConfig Config() => new()
    {
        Name = "etcd-0", PrivateIp = "127.0.0.5", Role = Role.Etcd,
        Certificates = { new CertificateRequestSpec { Identity = "etcd-member/etcd-0", KeyAlgorithm = "ecdsa-p256", FileStem = "etcd-member" } },
    };

    private async Task<(TestRegistrar Registrar, string Credential)> JoinedRegistrarAsync()
    {
        var registrar = new TestRegistrar(_ca, "t", _ => Config());
        var joined = await registrar.Join(new JoinRequest { Identity = new InstanceIdentity { InstanceId = "i-1", JoinToken = "t" } });
        return (registrar, joined.AgentCredential);
    }

    [Fact]
    public async Task Installs_the_issued_certificate_and_CA_next_to_the_key_and_asks_again_only_when_needed()
    {
        var (registrar, credential) = await JoinedRegistrarAsync();
        var (enrollment, files) = Enrollment();

        await enrollment.EnrollAsync(Config(), "i-1", credential, registrar.AsChannel(), CancellationToken.None);
        await enrollment.EnrollAsync(Config(), "i-1", credential, registrar.AsChannel(), CancellationToken.None);

        using var certificate = X509Certificate2.CreateFromPemFile(files.CertificatePath("etcd-member"), files.KeyPath("etcd-member"));
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal(_ca.CertificatePem, File.ReadAllText(files.CaPath("etcd-member")));
        Assert.Single(registrar.CertifyRequests);
        Assert.Equal("etcd-member/etcd-0", registrar.CertifyRequests.Single().Requests.Single().Identity);
    }

    [Fact]
    public async Task A_certificate_for_another_key_is_refused_and_not_installed()
    {
        var (registrar, credential) = await JoinedRegistrarAsync();
        var (enrollment, files) = Enrollment();
        var swapping = new KeySwappingChannel(registrar.AsChannel());

        await Assert.ThrowsAsync<CertificateRejectedException>(
            () => enrollment.EnrollAsync(Config(), "i-1", credential, swapping, CancellationToken.None));

        Assert.False(File.Exists(files.CertificatePath("etcd-member")));
    }

    /// <summary>A coordinator that signs a key other than the one in the CSR.</summary>
    private sealed class KeySwappingChannel(IRegistrarChannel inner) : IRegistrarChannel
    {
        public Task<JoinResponse> JoinAsync(JoinRequest request, CancellationToken cancellationToken) => inner.JoinAsync(request, cancellationToken);

        public Task<CertifyResponse> CertifyAsync(CertifyRequest request, CancellationToken cancellationToken)
        {
            using var other = AgentKey.Generate("ecdsa-p256");
            foreach (var csr in request.Requests)
            {
                csr.CsrPem = other.CreateSigningRequestPem(csr.Identity);
            }

            return inner.CertifyAsync(request, cancellationToken);
        }

        public Task<ReportResponse> ReportAsync(ReportRequest request, CancellationToken cancellationToken) => inner.ReportAsync(request, cancellationToken);
    }
}
