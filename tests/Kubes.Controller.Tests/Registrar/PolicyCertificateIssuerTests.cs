using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Kubes.Controller.Artifacts;
using Kubes.Controller.Pki;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Controller.Tests.State;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Controller.Tests.Registrar;

/// <summary>
/// The registrar with the real PKI and issuance policy, from the attacker's side of a renewal: an agent that already holds
/// its certificates asks again, as renewal does, and gets exactly what a first request gets — its policy's names, its
/// entitlements, nothing more.
/// </summary>
public sealed class PolicyCertificateIssuerTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly RegistrarWorld _world;
    private readonly ClusterPki _pki;
    private readonly AgentRegistrar _registrar;

    public PolicyCertificateIssuerTests()
    {
        _world = RegistrarWorld.Create(new FolderStateStore(_folder.Path));
        _pki = ClusterPki.Create(_world.Spec);
        // Answers the desired state recorded in the store, as every coordinator process does; the world's own spec (the
        // process's) until a test records a generation.
        var roleConfigs = new AssignedRoleConfigSource(_world.Generations, _world.Assignments,
            new GenerationRoleConfigs(new FolderArtifactUrls(_folder.Path)), new TopologyRoleConfigSource(_world.Topology),
            _world.Clock, assignmentsTtl: TimeSpan.Zero);
        _registrar = new AgentRegistrar(_world.Topology, _world.Directory, _world.Tokens,
            new AgentCredentialStore(_world.Store, _world.Clock), roleConfigs,
            new PolicyCertificateIssuer(_pki), new IssuanceRecord(_world.Store), _world.Status,
            _world.Log, _world.Clock);
    }

    public void Dispose()
    {
        _pki.Dispose();
        _world.Dispose();
        _folder.Dispose();
    }

    private async Task<(TestAgent Agent, string Credential)> JoinedAsync(InstanceRole role, int slot)
    {
        var agent = await _world.LaunchAsync(role, slot);
        return (agent, (await _registrar.JoinAsync(agent.Join(), null)).AgentCredential);
    }

    private async Task<(TestAgent Agent, string Credential)> EnrolledAsync(InstanceRole role, int slot, string identity)
    {
        var (agent, credential) = await JoinedAsync(role, slot);
        var (csr, key) = TestAgent.Csr(identity);
        using var _ = key;
        await _registrar.CertifyAsync(agent.Certify(credential, csr), null);
        return (agent, credential);
    }

    [Theory]
    [InlineData("etcd-member/etcd-1")]
    [InlineData("kubelet-client/node-0")]
    [InlineData("admin/kubes-admin")]
    [InlineData("coordinator/kubes-coordinator")]
    [InlineData("addon-manager/controller-0")]
    public async Task A_renewal_for_an_identity_the_instance_is_not_entitled_to_is_refused_exactly_as_a_first_request_is(string identity)
    {
        var (agent, credential) = await JoinedAsync(InstanceRole.Etcd, 0);
        var first = await RefusedAsync(agent, credential, identity);
        var (own, key) = TestAgent.Csr("etcd-member/etcd-0");
        using (key) await _registrar.CertifyAsync(agent.Certify(credential, own), null);

        var renewal = await RefusedAsync(agent, credential, identity);

        Assert.Equal(StatusCode.PermissionDenied, renewal.Code);
        Assert.Contains($"not entitled to a certificate for '{identity}'", renewal.Message);
        Assert.Equal((first.Code, first.Message), (renewal.Code, renewal.Message));
        // Refused whole: of the three requests, only the one for its own identity alone was issued and recorded.
        var history = Assert.Single(await new IssuanceRecord(_world.Store).ListAsync(everyIssuance: true));
        Assert.Equal((agent.InstanceId, "etcd-member/etcd-0", 1), (history.Newest.Holder, history.Newest.Identity, history.Count));
    }

    [Fact]
    public async Task A_renewal_csr_asking_for_names_the_policy_does_not_give_gets_the_policys_names_only_like_the_first()
    {
        var (agent, credential) = await EnrolledAsync(InstanceRole.Etcd, 0, "etcd-member/etcd-0");
        _world.Clock.Advance(TimeSpan.FromDays(250));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var greedy = new CertificateRequest("CN=etcd-member/etcd-0, O=system:masters", key, HashAlgorithmName.SHA256);
        var sans = new SubjectAlternativeNameBuilder();
        sans.AddDnsName("kubernetes.default");
        sans.AddDnsName("etcd-1");
        sans.AddIpAddress(System.Net.IPAddress.Parse("10.9.9.9"));
        greedy.CertificateExtensions.Add(sans.Build());
        greedy.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));

        var renewed = await _registrar.CertifyAsync(agent.Certify(credential,
            new CertificateSigningRequest { Identity = "etcd-member/etcd-0", CsrPem = greedy.CreateSigningRequestPem() }), null);

        using var certificate = X509Certificate2.CreateFromPem(renewed.Certificates.Single().CertificatePem);
        var identity = new IssuancePolicy(_world.Topology).ForSlot(_world.Topology.FindSlot(InstanceRole.Etcd, 0)!).Single();
        Assert.Equal($"CN={identity.CommonName}", certificate.Subject);
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(identity.DnsNames, names.EnumerateDnsNames());
        Assert.Equal(identity.IpAddresses, names.EnumerateIPAddresses());
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        var history = Assert.Single(await new IssuanceRecord(_world.Store).ListAsync(everyIssuance: true));
        Assert.Equal(2, history.Count);
        Assert.Equal(certificate.SerialNumber, history.Newest.SerialNumber);
    }

    [Fact]
    public async Task A_renewal_with_another_instances_credential_is_refused()
    {
        var (victim, _) = await EnrolledAsync(InstanceRole.Etcd, 0, "etcd-member/etcd-0");
        var (_, attackerCredential) = await EnrolledAsync(InstanceRole.Etcd, 1, "etcd-member/etcd-1");
        var (csr, key) = TestAgent.Csr("etcd-member/etcd-0");
        using var _ = key;

        var refusal = await Assert.ThrowsAsync<RegistrationRefusedException>(() =>
            _registrar.CertifyAsync(victim.Certify(attackerCredential, csr), null));

        Assert.Equal(StatusCode.Unauthenticated, refusal.Code);
    }

    [Fact]
    public async Task During_a_roll_a_member_still_on_the_older_generation_renews_under_that_generations_policy_not_the_newest()
    {
        // The process was started with the world's spec (leaves of 365 days); the store holds what kubes up recorded since.
        await _world.RecordGenerationAsync(WithLeafLifetime(90));
        var (old, oldCredential) = await JoinedAsync(InstanceRole.Etcd, 0);
        await _world.RecordGenerationAsync(WithLeafLifetime(30));
        var (fresh, freshCredential) = await JoinedAsync(InstanceRole.Etcd, 1);

        var renewal = await IssuedAsync(old, oldCredential, "etcd-member/etcd-0");
        var first = await IssuedAsync(fresh, freshCredential, "etcd-member/etcd-1");

        Assert.Equal(1, await _world.Assignments.GetAsync("etcd-0", CancellationToken.None));
        Assert.Equal((90, 30), (DaysLeft(renewal), DaysLeft(first)));
        // What was signed is what the configuration the member holds promises (its policy_hash), not another generation's.
        var held = await _registrar.JoinAsync(old.Join(proof: oldCredential), null);
        var identity = new IssuancePolicy(ClusterTopology.From(WithLeafLifetime(90))).ForSlot(_world.Topology.FindSlot(InstanceRole.Etcd, 0)!).Single();
        Assert.Equal(identity.PolicyHash(KeyAlgorithms.EcdsaP256), held.RoleConfig.Certificates.Single().PolicyHash);
        Assert.Equal(identity.Lifetime, TimeSpan.FromDays(DaysLeft(renewal)));
    }

    private ClusterSpec WithLeafLifetime(int days) =>
        _world.Spec with { Pki = _world.Spec.Pki with { CertificateLifetime = Lifetime.FromDays(days) } };

    private static int DaysLeft(X509Certificate2 certificate) =>
        (int)Math.Round((certificate.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays);

    private async Task<X509Certificate2> IssuedAsync(TestAgent agent, string credential, string identity)
    {
        var (csr, key) = TestAgent.Csr(identity);
        using var _ = key;
        var response = await _registrar.CertifyAsync(agent.Certify(credential, csr), null);
        return X509Certificate2.CreateFromPem(response.Certificates.Single().CertificatePem);
    }

    /// <summary>Its own identity and <paramref name="foreign"/> in one Certify, as an agent that renews all it holds would ask.</summary>
    private async Task<RegistrationRefusedException> RefusedAsync(TestAgent agent, string credential, string foreign)
    {
        var (own, ownKey) = TestAgent.Csr("etcd-member/etcd-0");
        var (other, otherKey) = TestAgent.Csr(foreign);
        using var _ = ownKey;
        using var __ = otherKey;
        return await Assert.ThrowsAsync<RegistrationRefusedException>(() =>
            _registrar.CertifyAsync(agent.Certify(credential, own, other), null));
    }
}
