using Grpc.Core;
using Kubes.Controller.Components;
using Kubes.Controller.Pki.Ssh;
using Kubes.Controller.Registrar;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Pki.Support;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Controller.Topology;
using Kubes.Protos.Ssh;
using Kubes.Protos.V1;
using TempFolder = Kubes.Controller.Tests.State.TempFolder;

namespace Kubes.Controller.Tests.Registrar;

/// <summary>
/// The registrar certifies an instance's SSH host key, sent alone in Certify: for exactly the names its role
/// configuration gives its verified slot, never for what the agent would like. From the attacker's side: another key
/// type, an instance that runs no sshd, another instance's credential.
/// </summary>
public sealed class SshHostCertificationTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly Pki.Support.TempFolder _keys = new();
    private readonly SshCertificateAuthority _hostCa = SshCertificateAuthority.Create(RegistrarWorld.ClusterName, SshCertificateAuthorityKind.Host);
    private readonly SshCertificateAuthority _userCa = SshCertificateAuthority.Create(RegistrarWorld.ClusterName, SshCertificateAuthorityKind.User);
    private readonly RegistrarWorld _world;

    public SshHostCertificationTests()
    {
        _world = RegistrarWorld.Create(new FolderStateStore(_folder.Path),
            sshHosts: new SshHostCertificateIssuer(_hostCa, TimeSpan.FromDays(30)),
            material: ClusterMaterial.None with { SshUserCaPublicKey = _userCa.PublicKey.ToLine() });
    }

    [Fact]
    public async Task An_etcd_member_s_host_key_is_certified_for_its_slot_address_and_DNS_name_only()
    {
        var (agent, credential) = await JoinedAsync(InstanceRole.Etcd, 1);
        var (_, hostKey) = SshKeygen.NewKey(_keys);

        var response = await _world.Registrar.CertifyAsync(SshRequest(agent, credential, hostKey), PeerOf(agent));

        var certificate = SshCertificate.Parse(response.SshHostCertificate);
        Assert.Equal(SshCertificateType.Host, certificate.Type);
        Assert.True(certificate.Key.SameKeyAs(hostKey));
        Assert.True(certificate.SignatureKey.SameKeyAs(_hostCa.PublicKey));
        Assert.Equal(["etcd-1", agent.Address.ToString(), "etcd-1.prod.kubes.internal"], certificate.Principals);
        Assert.Empty(response.Certificates);
        var listed = SshKeygen.List(_keys, response.SshHostCertificate);
        Assert.True(listed.ExitCode == 0, listed.Output);

        // Recorded beside the X.509 certificates, for kubes certs.
        var recorded = Assert.Single(await new IssuanceRecord(_world.Store).ListAsync(everyIssuance: true)).Newest;
        Assert.Equal((agent.InstanceId, "etcd-1", "ssh-host/etcd-1", $"principals=etcd-1,{agent.Address},etcd-1.prod.kubes.internal"),
            (recorded.Holder, recorded.Name, recorded.Identity, recorded.Subject));
        Assert.Equal((certificate.Serial.ToString("X16"), certificate.ValidAfter, certificate.ValidBefore),
            (recorded.SerialNumber, recorded.NotBefore, recorded.NotAfter));
    }

    [Fact]
    public async Task The_principals_a_role_configuration_names_are_the_certificate_s()
    {
        var (agent, credential) = await JoinedAsync(InstanceRole.Bastion, 0);
        var joined = await _world.Registrar.JoinAsync(agent.Join(credential), PeerOf(agent));
        var (_, hostKey) = SshKeygen.NewKey(_keys);

        var response = await _world.Registrar.CertifyAsync(SshRequest(agent, credential, hostKey), PeerOf(agent));

        Assert.Equal(joined.RoleConfig.Sshd.HostPrincipals, SshCertificate.Parse(response.SshHostCertificate).Principals);
    }

    [Theory]
    [InlineData("ecdsa")]
    [InlineData("rsa")]
    public async Task A_host_key_of_another_type_than_ed25519_is_refused(string type)
    {
        var (agent, credential) = await JoinedAsync(InstanceRole.Etcd, 0);
        var line = File.ReadAllText(SshKeygen.NewKeyFile(_keys, type) + ".pub");
        var request = new CertifyRequest { InstanceId = agent.InstanceId, AgentCredential = credential, SshHostPublicKey = line };

        var refusal = await Assert.ThrowsAsync<RegistrationRefusedException>(() => _world.Registrar.CertifyAsync(request, PeerOf(agent)));

        Assert.Equal(StatusCode.InvalidArgument, refusal.Code);
    }

    [Fact]
    public async Task Garbage_instead_of_a_key_is_refused()
    {
        var (agent, credential) = await JoinedAsync(InstanceRole.Etcd, 0);
        var request = new CertifyRequest { InstanceId = agent.InstanceId, AgentCredential = credential, SshHostPublicKey = "ssh-ed25519 AAAA not a key" };

        var refusal = await Assert.ThrowsAsync<RegistrationRefusedException>(() => _world.Registrar.CertifyAsync(request, PeerOf(agent)));

        Assert.Equal(StatusCode.InvalidArgument, refusal.Code);
    }

    [Fact]
    public async Task Another_instance_s_credential_gets_no_certificate()
    {
        var (agent, _) = await JoinedAsync(InstanceRole.Etcd, 0);
        var (_, otherCredential) = await JoinedAsync(InstanceRole.Etcd, 1);
        var (_, hostKey) = SshKeygen.NewKey(_keys);

        var refusal = await Assert.ThrowsAsync<RegistrationRefusedException>(() =>
            _world.Registrar.CertifyAsync(SshRequest(agent, otherCredential, hostKey), PeerOf(agent)));

        Assert.Equal(StatusCode.Unauthenticated, refusal.Code);
    }

    [Fact]
    public async Task Without_a_host_CA_the_coordinator_certifies_no_host_key()
    {
        using var folder = new TempFolder();
        using var world = RegistrarWorld.Create(new FolderStateStore(folder.Path));
        var agent = await world.LaunchAsync(InstanceRole.Etcd, 0);
        var credential = (await world.Registrar.JoinAsync(agent.Join(), PeerOf(agent))).AgentCredential;
        var (_, hostKey) = SshKeygen.NewKey(_keys);

        var refusal = await Assert.ThrowsAsync<RegistrationRefusedException>(() =>
            world.Registrar.CertifyAsync(SshRequest(agent, credential, hostKey), PeerOf(agent)));

        Assert.Equal(StatusCode.FailedPrecondition, refusal.Code);
    }

    private async Task<(TestAgent Agent, string Credential)> JoinedAsync(InstanceRole role, int slot)
    {
        var agent = await _world.LaunchAsync(role, slot);
        var joined = await _world.Registrar.JoinAsync(agent.Join(), PeerOf(agent));
        return (agent, joined.AgentCredential);
    }

    private static CertifyRequest SshRequest(TestAgent agent, string credential, SshPublicKey key) =>
        new() { InstanceId = agent.InstanceId, AgentCredential = credential, SshHostPublicKey = key.ToLine() };

    private static PeerInfo PeerOf(TestAgent agent) => PeerInfo.From(agent.Address);

    public void Dispose()
    {
        _world.Dispose();
        _hostCa.Dispose();
        _userCa.Dispose();
        _keys.Dispose();
        _folder.Dispose();
    }
}
