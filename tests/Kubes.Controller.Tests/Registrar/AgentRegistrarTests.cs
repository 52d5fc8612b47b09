using System.Net;
using Grpc.Core;
using Kubes.Controller.Registrar;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Controller.Tests.State;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging;

namespace Kubes.Controller.Tests.Registrar;

/// <summary>The registrar without a channel: what the channel contract cannot reach.</summary>
public sealed class AgentRegistrarTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly RegistrarWorld _world;

    public AgentRegistrarTests()
    {
        _world = RegistrarWorld.Create(new FolderStateStore(_folder.Path));
    }

    public void Dispose()
    {
        _world.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_peer_seen_as_an_IPv4_mapped_IPv6_address_is_the_instance()
    {
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        var peer = PeerInfo.From(agent.Address.MapToIPv6());
        Assert.NotEmpty((await _world.Registrar.JoinAsync(agent.Join(), peer)).AgentCredential);
    }

    [Fact]
    public async Task An_instance_in_a_slot_the_spec_does_not_have_is_refused()
    {
        var agent = await _world.LaunchAsync(InstanceRole.Node, 0, tags: new Dictionary<string, string>
        {
            [InstanceTags.Cluster] = RegistrarWorld.ClusterName,
            [InstanceTags.Role] = "node",
            [InstanceTags.Slot] = "node-7",
        });
        var refusal = await Assert.ThrowsAsync<RegistrationRefusedException>(() =>
            _world.Registrar.JoinAsync(agent.Join(slot: 7), peer: null));
        Assert.Equal(StatusCode.PermissionDenied, refusal.Code);
        Assert.Contains("no slot node-7", refusal.Message);
    }

    [Fact]
    public async Task An_etcd_member_is_told_the_id_of_its_slots_data_volume_and_no_other()
    {
        _world.Directory.PutDataVolume(RegistrarWorld.ClusterName, "etcd-0", "vol-0aaaaaaaaaaaaaaa0");
        _world.Directory.PutDataVolume(RegistrarWorld.ClusterName, "etcd-1", "vol-0bbbbbbbbbbbbbbb1");
        _world.Directory.PutDataVolume("staging", "etcd-0", "vol-0ccccccccccccccc2");
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);

        var joined = await _world.Registrar.JoinAsync(agent.Join(), peer: null);

        Assert.Equal("vol-0aaaaaaaaaaaaaaa0", joined.RoleConfig.Etcd.DataVolumeTag);
    }

    [Fact]
    public async Task A_slot_with_two_tagged_data_volumes_is_refused_rather_than_guessed()
    {
        _world.Directory.PutDataVolume(RegistrarWorld.ClusterName, "etcd-0", "vol-0aaaaaaaaaaaaaaa0");
        _world.Directory.PutDataVolume(RegistrarWorld.ClusterName, "etcd-0", "vol-0ddddddddddddddd3");
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);

        var refusal = await Assert.ThrowsAsync<RegistrationRefusedException>(() => _world.Registrar.JoinAsync(agent.Join(), null));

        Assert.Equal(StatusCode.FailedPrecondition, refusal.Code);
        Assert.Contains("vol-0aaaaaaaaaaaaaaa0, vol-0ddddddddddddddd3", refusal.Message);
        Assert.True((await _world.Tokens.RedeemAsync(agent.JoinToken, agent.InstanceId, InstanceRole.Etcd, 0)).Accepted);
    }

    [Fact]
    public async Task An_instance_without_a_private_address_is_refused()
    {
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        var record = (await _world.Directory.FindAsync(agent.InstanceId))!;
        _world.Directory.Put(record with { PrivateIp = null });
        var refusal = await Assert.ThrowsAsync<RegistrationRefusedException>(() => _world.Registrar.JoinAsync(agent.Join(), null));
        Assert.Equal(StatusCode.FailedPrecondition, refusal.Code);
    }

    [Fact]
    public async Task A_rejoin_into_another_slot_is_refused_even_with_the_credential()
    {
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        var credential = (await _world.Registrar.JoinAsync(agent.Join(), null)).AgentCredential;
        var record = (await _world.Directory.FindAsync(agent.InstanceId))!;
        _world.Directory.Put(record with
        {
            Tags = new Dictionary<string, string>(record.Tags) { [InstanceTags.Slot] = "etcd-1" },
        });

        var refusal = await Assert.ThrowsAsync<RegistrationRefusedException>(() =>
            _world.Registrar.JoinAsync(agent.Join(proof: credential, slot: 1), null));
        Assert.Equal(StatusCode.PermissionDenied, refusal.Code);
        Assert.Contains("joined as etcd-0", refusal.Message);
    }

    [Fact]
    public async Task A_failing_issuer_is_an_internal_error_logged_with_its_cause()
    {
        var registrar = new AgentRegistrar(_world.Topology, _world.Directory, _world.Tokens,
            new AgentCredentialStore(_world.Store, _world.Clock), new TopologyRoleConfigSource(_world.Topology),
            new BrokenIssuer(), new IssuanceRecord(_world.Store), _world.Status, _world.Log, _world.Clock);
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        var credential = (await registrar.JoinAsync(agent.Join(), null)).AgentCredential;
        var (csr, key) = TestAgent.Csr("etcd-member/etcd-0");
        using var _ = key;

        var refusal = await Assert.ThrowsAsync<RegistrationRefusedException>(() =>
            registrar.CertifyAsync(agent.Certify(credential, csr), null));
        Assert.Equal(StatusCode.Internal, refusal.Code);
        Assert.DoesNotContain("HSM", refusal.Message);
        Assert.Contains(_world.Log.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("etcd-member/etcd-0"));
    }

    [Fact]
    public async Task Refusals_are_logged_with_instance_peer_code_and_reason()
    {
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        await Assert.ThrowsAsync<RegistrationRefusedException>(() =>
            _world.Registrar.JoinAsync(agent.Join(role: InstanceRole.Node), PeerInfo.From(agent.Address)));
        var (level, message) = Assert.Single(_world.Log.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains(agent.InstanceId, message);
        Assert.Contains(agent.Address.ToString(), message);
        Assert.Contains("PermissionDenied", message);
        Assert.Contains("claims role node", message);
    }

    [Fact]
    public async Task The_agent_credential_is_stored_only_as_a_hash()
    {
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        var credential = (await _world.Registrar.JoinAsync(agent.Join(), null)).AgentCredential;
        foreach (var key in await _world.Store.ListAsync(""))
        {
            var content = System.Text.Encoding.UTF8.GetString((await _world.Store.GetAsync(key))!.Content);
            Assert.DoesNotContain(credential["kac_".Length..], content);
        }
    }

    private sealed class BrokenIssuer : ICertificateIssuer
    {
        public Task<Kubes.Protos.V1.IssuedCertificate> IssueAsync(VerifiedInstance instance,
            Kubes.Controller.Pki.CertificateIdentity identity, string csrPem,
            CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the HSM is unplugged");
    }

    [Fact]
    public async Task Of_many_concurrent_joins_with_one_token_exactly_one_succeeds()
    {
        var rightful = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        // Other instances tagged for the same slot, presenting the same token, and the rightful one sending it again.
        var others = new List<TestAgent>();
        for (var i = 0; i < 20; i++) others.Add(await _world.LaunchAsync(InstanceRole.Etcd, 0));
        var attempts = others.Select(other => other.Join(proof: rightful.JoinToken))
            .Concat(Enumerable.Range(0, 20).Select(_ => rightful.Join()))
            .ToList();
        using var start = new ManualResetEventSlim();

        var running = attempts.Select(join => Task.Run(async () =>
        {
            start.Wait();
            try
            {
                return (Joined: (JoinResponse?)await _world.Registrar.JoinAsync(join, peer: null), Refused: (StatusCode?)null);
            }
            catch (RegistrationRefusedException refusal)
            {
                return (Joined: (JoinResponse?)null, Refused: (StatusCode?)refusal.Code);
            }
        })).ToList();
        start.Set();
        var outcomes = await Task.WhenAll(running);

        Assert.Single(outcomes, outcome => outcome.Joined is not null);
        Assert.All(outcomes.Where(o => o.Joined is null), o => Assert.Contains(o.Refused, new StatusCode?[]
        {
            StatusCode.Unauthenticated, StatusCode.FailedPrecondition,
        }));
        Assert.Single(_world.Status.Snapshot());
    }

    [Fact]
    public async Task An_instance_replaced_in_its_slot_can_neither_report_nor_rejoin()
    {
        var replaced = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        var credential = (await _world.Registrar.JoinAsync(replaced.Join(), peer: null)).AgentCredential;
        var replacement = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        await _world.Registrar.JoinAsync(replacement.Join(), peer: null);

        var report = await Assert.ThrowsAsync<RegistrationRefusedException>(() =>
            _world.Registrar.ReportAsync(replaced.Report(credential, Phase.Ready), peer: null));
        var rejoin = await Assert.ThrowsAsync<RegistrationRefusedException>(() =>
            _world.Registrar.JoinAsync(replaced.Join(proof: credential), peer: null));

        Assert.Equal((StatusCode.FailedPrecondition, StatusCode.FailedPrecondition), (report.Code, rejoin.Code));
        Assert.Contains($"replaced in slot etcd-0 by instance {replacement.InstanceId}", report.Message);
        Assert.Equal([replacement.InstanceId], _world.Status.Snapshot().Select(s => s.InstanceId));
    }
}
