using System.Net;
using Grpc.Core;
using Kubes.Agent.Channels;
using Kubes.Agent.Configuration;
using Kubes.Agent.Tests.Support;
using Kubes.Protos;
using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Channels;

public sealed class GrpcRegistrarChannelTests : IAsyncLifetime
{
    private readonly TestCertificateAuthority _ca = new("coordinator CA");
    private readonly TestCertificateAuthority _otherCa = new("someone else's CA");
    private TestRegistrar _registrar = null!;
    private GrpcTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _registrar = new TestRegistrar(_ca, "token-1", identity => new RoleConfig
        {
            Cluster = identity.Cluster, Role = identity.Role, Slot = identity.Slot, Name = "etcd-0", PrivateIp = identity.PrivateIp,
        });
        _server = await GrpcTestServer.StartAsync(_registrar, _ca.IssueServer(CoordinatorIdentity.CommonName, IPAddress.Loopback), _ca.Certificate);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _ca.Dispose();
        _otherCa.Dispose();
    }

    /// <param name="holdsCa">Whether agent.json carries the CA certificate itself, not only its hash.</param>
    private GrpcRegistrarChannel Channel(TestCertificateAuthority pinned, bool holdsCa = true)
    {
        CaFingerprint.TryParse(CaFingerprint.Of(pinned.Certificate.RawData), out var pin);
        return new GrpcRegistrarChannel(_server.Address, pin, holdsCa ? pinned.Certificate : null);
    }

    private static JoinRequest Join(string token) => new()
    {
        Identity = new InstanceIdentity
        {
            Cluster = "demo", InstanceId = "i-0123", PrivateIp = "127.0.0.1", Role = Role.Etcd, Slot = 0, JoinToken = token,
        },
    };

    [Fact]
    public async Task Joins_a_coordinator_whose_CA_matches_the_pin_and_reports_with_the_credential()
    {
        using var channel = Channel(_ca);

        var joined = await channel.JoinAsync(Join("token-1"), CancellationToken.None);
        await channel.ReportAsync(new ReportRequest
        {
            InstanceId = "i-0123", AgentCredential = joined.AgentCredential, Report = new AgentReport { Phase = Phase.Joining },
        }, CancellationToken.None);

        Assert.Equal("etcd-0", joined.RoleConfig.Name);
        Assert.Single(_registrar.Reports);
    }

    [Fact]
    public async Task Refuses_a_coordinator_whose_CA_is_not_the_pinned_one()
    {
        using var channel = Channel(_otherCa);

        var error = await Assert.ThrowsAsync<RegistrarUnavailableException>(() => channel.JoinAsync(Join("token-1"), CancellationToken.None));

        Assert.Contains($"does not chain to 'CN=someone else's CA' ({CaFingerprint.Of(_otherCa.Certificate.RawData)})", error.Message);
        Assert.Equal(0, _registrar.JoinCount);
    }

    [Theory]
    [InlineData("kube-apiserver", true)]
    [InlineData("kubes-coordinator-not", true)]
    [InlineData("kubes-coordinator", false)]
    public async Task Refuses_another_server_of_the_same_CA_at_the_same_address(string commonName, bool serverAuth)
    {
        // The Kubernetes CA also signs kube-apiserver, whose certificate names 127.0.0.1 and the controllers'
        // addresses; one that answers where the agent expects the coordinator must not be trusted with a join token.
        var impostor = new TestRegistrar(_ca, "token-1", identity => new RoleConfig { Name = "stolen" });
        await using var server = await GrpcTestServer.StartAsync(impostor,
            _ca.IssueServer(commonName, serverAuth, clientAuth: !serverAuth, IPAddress.Loopback), _ca.Certificate);
        CaFingerprint.TryParse(CaFingerprint.Of(_ca.Certificate.RawData), out var pin);
        using var channel = new GrpcRegistrarChannel(server.Address, pin, _ca.Certificate);

        var error = await Assert.ThrowsAsync<RegistrarUnavailableException>(() => channel.JoinAsync(Join("token-1"), CancellationToken.None));

        Assert.Contains($"'CN={commonName}' is signed by the pinned CA but is not the coordinator's", error.Message);
        Assert.Equal(0, impostor.JoinCount);
    }

    [Fact]
    public async Task With_only_the_hash_and_a_server_that_keeps_its_root_to_itself_the_error_says_what_to_add()
    {
        using var channel = Channel(_ca, holdsCa: false);

        var error = await Assert.ThrowsAsync<RegistrarUnavailableException>(() => channel.JoinAsync(Join("token-1"), CancellationToken.None));

        Assert.Contains("sent no CA certificate", error.Message);
        Assert.Contains("coordinatorCa", error.Message);
        Assert.Equal(0, _registrar.JoinCount);
    }

    [Fact]
    public async Task A_used_token_is_a_permanent_refusal()
    {
        using var channel = Channel(_ca);
        await channel.JoinAsync(Join("token-1"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<RegistrarRefusedException>(() => channel.JoinAsync(Join("token-1"), CancellationToken.None));

        Assert.Equal(StatusCode.PermissionDenied, error.Code);
    }

    [Fact]
    public async Task An_unreachable_coordinator_is_unavailable_not_refused()
    {
        CaFingerprint.TryParse(CaFingerprint.Of(_ca.Certificate.RawData), out var pin);
        using var channel = new GrpcRegistrarChannel(new Uri($"https://127.0.0.1:{FreePort.OnLoopback()}"), pin);

        await Assert.ThrowsAsync<RegistrarUnavailableException>(() => channel.JoinAsync(Join("token-1"), CancellationToken.None));
    }
}
