using System.Security.Cryptography;
using Grpc.Core;
using Kubes.Controller.Components.KubeApiServer;
using Kubes.Controller.Registrar;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;
using TempFolder = Kubes.Controller.Tests.State.TempFolder;

namespace Kubes.Controller.Tests.Registrar;

/// <summary>
/// A controller sends its service-account public key alone in Certify; the registrar records it under the controller's
/// verified slot. From the attacker's side: an instance that runs no apiserver, a private key, a weak key, another
/// instance's credential.
/// </summary>
public sealed class ServiceAccountKeyPublicationTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly RegistrarWorld _world;

    public ServiceAccountKeyPublicationTests() => _world = RegistrarWorld.Create(new FolderStateStore(_folder.Path));

    [Fact]
    public async Task A_controllers_key_is_recorded_under_its_own_slot_in_one_form()
    {
        var (agent, credential) = await JoinedAsync(InstanceRole.Controller, 1);
        using var key = RSA.Create(2048);

        var response = await _world.Registrar.CertifyAsync(Request(agent, credential, key.ExportSubjectPublicKeyInfoPem().Replace("\n", "\r\n")), PeerOf(agent));

        Assert.Empty(response.Certificates);
        var recorded = await new ServiceAccountPublicKeys(_world.Store).LoadAsync(CancellationToken.None);
        Assert.Equal(["controller-1"], recorded.Keys);
        Assert.Equal(key.ExportSubjectPublicKeyInfoPem(), recorded["controller-1"]);
    }

    [Theory]
    [InlineData(InstanceRole.Etcd)]
    [InlineData(InstanceRole.Node)]
    [InlineData(InstanceRole.Bastion)]
    public async Task An_instance_that_runs_no_apiserver_cannot_plant_a_key(InstanceRole role)
    {
        var (agent, credential) = await JoinedAsync(role, 0);
        using var key = RSA.Create(2048);

        var refusal = await Assert.ThrowsAsync<RegistrationRefusedException>(() =>
            _world.Registrar.CertifyAsync(Request(agent, credential, key.ExportSubjectPublicKeyInfoPem()), PeerOf(agent)));

        Assert.Equal(StatusCode.PermissionDenied, refusal.Code);
        Assert.Empty(await new ServiceAccountPublicKeys(_world.Store).LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Another_instances_credential_records_nothing()
    {
        var (agent, _) = await JoinedAsync(InstanceRole.Controller, 0);
        var (_, otherCredential) = await JoinedAsync(InstanceRole.Controller, 1);
        using var key = RSA.Create(2048);

        var refusal = await Assert.ThrowsAsync<RegistrationRefusedException>(() =>
            _world.Registrar.CertifyAsync(Request(agent, otherCredential, key.ExportSubjectPublicKeyInfoPem()), PeerOf(agent)));

        Assert.Equal(StatusCode.Unauthenticated, refusal.Code);
        Assert.Empty(await new ServiceAccountPublicKeys(_world.Store).LoadAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("private")]
    [InlineData("rsa-1024")]
    [InlineData("ecdsa")]
    [InlineData("garbage")]
    public async Task Anything_but_an_rsa_public_key_of_2048_bits_or_more_is_refused(string kind)
    {
        var (agent, credential) = await JoinedAsync(InstanceRole.Controller, 0);
        using var rsa = RSA.Create(kind == "rsa-1024" ? 1024 : 2048);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = kind switch
        {
            "private" => rsa.ExportPkcs8PrivateKeyPem(),
            "ecdsa" => ecdsa.ExportSubjectPublicKeyInfoPem(),
            "garbage" => "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----",
            _ => rsa.ExportSubjectPublicKeyInfoPem(),
        };

        var refusal = await Assert.ThrowsAsync<RegistrationRefusedException>(() =>
            _world.Registrar.CertifyAsync(Request(agent, credential, pem), PeerOf(agent)));

        Assert.Equal(StatusCode.InvalidArgument, refusal.Code);
        Assert.Empty(await new ServiceAccountPublicKeys(_world.Store).LoadAsync(CancellationToken.None));
    }

    private async Task<(TestAgent Agent, string Credential)> JoinedAsync(InstanceRole role, int slot)
    {
        var agent = await _world.LaunchAsync(role, slot);
        var joined = await _world.Registrar.JoinAsync(agent.Join(), PeerOf(agent));
        return (agent, joined.AgentCredential);
    }

    private static CertifyRequest Request(TestAgent agent, string credential, string pem) =>
        new() { InstanceId = agent.InstanceId, AgentCredential = credential, ServiceAccountPublicKey = pem };

    private static PeerInfo PeerOf(TestAgent agent) => PeerInfo.From(agent.Address);

    public void Dispose()
    {
        _world.Dispose();
        _folder.Dispose();
    }
}
