using System.Security.Cryptography.X509Certificates;
using Kubes.Agent.Channels;
using Kubes.Agent.Configuration;
using Kubes.Agent.Pki;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Agent.Tests.Pki;

public sealed class CertificateEnrollmentTests : IDisposable
{
    private readonly TempRoot _root = new();
    private readonly TestCertificateAuthority _ca = new("etcd CA");
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);

    public void Dispose()
    {
        _root.Dispose();
        _ca.Dispose();
    }

    private PkiFiles Files => new(new AgentPaths(_root.Path));

    private CertificateEnrollment Enrollment() =>
        new(new KeyStore(Files), Files, _clock, NullLogger<CertificateEnrollment>.Instance);

    private static RoleConfig Config(string policyHash = "policy-1") => new()
    {
        Name = "etcd-0", PrivateIp = "127.0.0.5", Role = Role.Etcd,
        Certificates =
        {
            new CertificateRequestSpec
            {
                Identity = "etcd-member/etcd-0", KeyAlgorithm = "ecdsa-p256", FileStem = "etcd-member", PolicyHash = policyHash,
            },
        },
    };

    private async Task<(TestRegistrar Registrar, string Credential)> JoinedRegistrarAsync()
    {
        var registrar = new TestRegistrar(_ca, "t", _ => Config());
        var joined = await registrar.Join(new JoinRequest { Identity = new InstanceIdentity { InstanceId = "i-1", JoinToken = "t" } });
        return (registrar, joined.AgentCredential);
    }

    private X509Certificate2 Installed() => X509Certificate2.CreateFromPemFile(Files.CertificatePath("etcd-member"), Files.KeyPath("etcd-member"));

    [Fact]
    public async Task Installs_the_issued_certificate_and_CA_next_to_the_key_and_asks_again_only_when_needed()
    {
        var (registrar, credential) = await JoinedRegistrarAsync();

        var first = await Enrollment().EnrollAsync(Config(), "i-1", credential, registrar.AsChannel(), CancellationToken.None);
        var second = await Enrollment().EnrollAsync(Config(), "i-1", credential, registrar.AsChannel(), CancellationToken.None);

        using var certificate = Installed();
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal(_ca.CertificatePem, File.ReadAllText(Files.CaPath("etcd-member")));
        Assert.Equal("policy-1", File.ReadAllText(Files.PolicyHashPath("etcd-member")).Trim());
        Assert.Single(registrar.CertifyRequests);
        Assert.Equal("etcd-member/etcd-0", registrar.CertifyRequests.Single().Requests.Single().Identity);
        var installed = Assert.Single(first.Installed);
        Assert.Equal(("etcd-member/etcd-0", false, "none is installed"), (installed.Identity, installed.Renewed, installed.Reason));
        Assert.Empty(second.Installed);
        Assert.Equal(first.NextRenewal, second.NextRenewal);
        Assert.InRange(second.NextRenewal!.Value, Fraction(certificate, CertificateRenewal.From), Fraction(certificate, CertificateRenewal.By));
    }

    [Fact]
    public async Task Once_its_renewal_time_has_come_a_certificate_is_issued_again_for_a_new_key_and_replaces_the_old()
    {
        var (registrar, credential) = await JoinedRegistrarAsync();
        var first = await Enrollment().EnrollAsync(Config(), "i-1", credential, registrar.AsChannel(), CancellationToken.None);
        using var before = Installed();

        _clock.Now = first.NextRenewal!.Value - TimeSpan.FromSeconds(1);
        Assert.Empty((await Enrollment().EnrollAsync(Config(), "i-1", credential, registrar.AsChannel(), CancellationToken.None)).Installed);
        _clock.Now = first.NextRenewal.Value;
        var renewal = await Enrollment().EnrollAsync(Config(), "i-1", credential, registrar.AsChannel(), CancellationToken.None);

        using var after = Installed();
        var renewed = Assert.Single(renewal.Installed);
        Assert.True(renewed.Renewed);
        Assert.Contains("renewal time", renewed.Reason);
        Assert.Equal(after.SerialNumber, renewed.SerialNumber);
        Assert.NotEqual(before.SerialNumber, after.SerialNumber);
        Assert.NotEqual(before.PublicKey.ExportSubjectPublicKeyInfo(), after.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(2, registrar.CertifyRequests.Count);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Files.KeyPath("etcd-member")));
    }

    [Fact]
    public async Task A_changed_policy_hash_asks_again_at_once()
    {
        var (registrar, credential) = await JoinedRegistrarAsync();
        await Enrollment().EnrollAsync(Config("policy-1"), "i-1", credential, registrar.AsChannel(), CancellationToken.None);

        var changed = await Enrollment().EnrollAsync(Config("policy-2"), "i-1", credential, registrar.AsChannel(), CancellationToken.None);

        Assert.Contains("issuance policy changed", Assert.Single(changed.Installed).Reason);
        Assert.Equal("policy-2", File.ReadAllText(Files.PolicyHashPath("etcd-member")).Trim());
    }

    [Fact]
    public async Task A_deleted_key_asks_again()
    {
        var (registrar, credential) = await JoinedRegistrarAsync();
        await Enrollment().EnrollAsync(Config(), "i-1", credential, registrar.AsChannel(), CancellationToken.None);
        File.Delete(Files.KeyPath("etcd-member"));

        var again = await Enrollment().EnrollAsync(Config(), "i-1", credential, registrar.AsChannel(), CancellationToken.None);

        Assert.Contains("key", Assert.Single(again.Installed).Reason);
        using var certificate = Installed();
        Assert.True(certificate.HasPrivateKey);
    }

    [Fact]
    public async Task A_certificate_for_another_key_is_refused_and_not_installed()
    {
        var (registrar, credential) = await JoinedRegistrarAsync();
        var swapping = new KeySwappingChannel(registrar.AsChannel());

        await Assert.ThrowsAsync<CertificateRejectedException>(
            () => Enrollment().EnrollAsync(Config(), "i-1", credential, swapping, CancellationToken.None));

        Assert.False(File.Exists(Files.CertificatePath("etcd-member")));
        Assert.False(File.Exists(Files.KeyPath("etcd-member")));
    }

    [Fact]
    public async Task A_renewal_refused_leaves_the_installed_key_and_certificate_untouched()
    {
        var (registrar, credential) = await JoinedRegistrarAsync();
        var first = await Enrollment().EnrollAsync(Config(), "i-1", credential, registrar.AsChannel(), CancellationToken.None);
        var key = File.ReadAllText(Files.KeyPath("etcd-member"));
        var certificate = File.ReadAllText(Files.CertificatePath("etcd-member"));
        _clock.Now = first.NextRenewal!.Value;

        await Assert.ThrowsAsync<CertificateRejectedException>(() =>
            Enrollment().EnrollAsync(Config(), "i-1", credential, new KeySwappingChannel(registrar.AsChannel()), CancellationToken.None));

        Assert.Equal(key, File.ReadAllText(Files.KeyPath("etcd-member")));
        Assert.Equal(certificate, File.ReadAllText(Files.CertificatePath("etcd-member")));
    }

    private static DateTimeOffset Fraction(X509Certificate2 certificate, double fraction) =>
        CertificateRenewal.At(certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime(), fraction);

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
