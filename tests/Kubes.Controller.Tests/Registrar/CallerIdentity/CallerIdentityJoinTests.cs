using System.Net;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Google.Protobuf;
using Grpc.Core;
using Kubes.Agent.Identity;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Registrar;
using Kubes.Controller.Registrar.CallerIdentity;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Controller.Status;
using Kubes.Controller.Tests.Fixtures;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Controller.Tests.State;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;
using AgentCredentials = Kubes.Agent.Identity.InstanceProfileCredentials;

namespace Kubes.Controller.Tests.Registrar.CallerIdentity;

/// <summary>
/// Nodes of an Auto Scaling group join with the STS proof the agent signs, replayed to the emulator's STS, which maps
/// credentials from sts:AssumeRole (role, session = instance id) back to <c>assumed-role/&lt;role&gt;/&lt;instance id&gt;</c>,
/// as EC2's instance-profile credentials are. Seen from the attacker's side: every proof not made by this instance's node
/// role, for this cluster, just now, is refused, and so is a second first-join.
/// </summary>
[Collection(MotoServer.Collection)]
public sealed class CallerIdentityJoinTests : IAsyncLifetime, IDisposable
{
    private const string Cluster = "prod";
    private static readonly string NodeRole = AwsClusterModel.IamName(Cluster, InstanceRole.Node);

    private readonly MotoServer _moto;
    private readonly TempFolder _folder = new();
    private readonly ManualClock _clock = new();
    private readonly InMemoryInstanceDirectory _directory = new();
    private readonly TestCertificateIssuer _issuer = new();
    private readonly HttpClient _http = new();
    private readonly AmazonSecurityTokenServiceClient _sts;
    private readonly ClusterTopology _topology;
    private AgentRegistrar _registrar = null!;
    private string _account = "";

    public CallerIdentityJoinTests(MotoServer moto)
    {
        _moto = moto;
        _sts = moto.Environment().CreateStsClient();
        var defaults = ClusterSpecDefaults.Aws(Cluster);
        _topology = ClusterTopology.From(defaults with { Nodes = defaults.Nodes with { AutoScaling = true, Count = 2, Min = 1 } });
    }

    public async Task InitializeAsync()
    {
        await _moto.ResetAsync();
        _clock.Advance(DateTimeOffset.UtcNow - _clock.GetUtcNow());
        _account = (await _sts.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Account;
        var verifier = new CallerIdentityVerifier(Cluster, _account, NodeRole, new StsCallerIdentityReplay(_http, _moto.Endpoint), _clock);
        var store = new FolderStateStore(_folder.Path);
        _registrar = AgentRegistrar.Create(_topology, store, _directory, _issuer, new StatusHub(new AgentStatusStore(store)),
            time: _clock, callerIdentity: verifier);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _issuer.Dispose();
        _folder.Dispose();
        _http.Dispose();
        _sts.Dispose();
    }

    [Fact]
    public async Task A_node_joins_with_its_proof_and_is_named_by_its_verified_instance_id()
    {
        var node = Launch();
        var response = await _registrar.JoinAsync(Join(node, await ProofAsync(node)), peer: null);

        Assert.StartsWith(AgentCredentialStore.CredentialPrefix, response.AgentCredential);
        Assert.Equal(node, response.RoleConfig.Name);
        Assert.Equal("10.0.3.77", response.RoleConfig.PrivateIp);
        Assert.Contains($"kubelet-serving/{node}", response.RoleConfig.Certificates.Select(c => c.Identity));
        Assert.DoesNotContain(response.RoleConfig.Certificates, c => c.Identity.EndsWith("/node-0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Replaying_a_proof_after_the_instance_joined_is_refused()
    {
        var node = Launch();
        var join = Join(node, await ProofAsync(node));
        await _registrar.JoinAsync(join, peer: null);

        await Refused(StatusCode.FailedPrecondition, join, "already joined");
    }

    [Fact]
    public async Task A_proof_signed_for_another_cluster_is_refused()
    {
        var node = Launch();
        await Refused(StatusCode.PermissionDenied, Join(node, await ProofAsync(node, cluster: "staging")), "cluster 'staging'");
    }

    [Fact]
    public async Task A_proof_signed_by_another_role_such_as_etcd_is_refused()
    {
        var node = Launch();
        var proof = await ProofAsync(node, role: AwsClusterModel.IamName(Cluster, InstanceRole.Etcd));
        await Refused(StatusCode.PermissionDenied, Join(node, proof), "not kubes-prod-node");
    }

    [Fact]
    public async Task A_proof_of_another_instance_is_refused()
    {
        var node = Launch();
        var other = Launch();
        await Refused(StatusCode.PermissionDenied, Join(node, await ProofAsync(other)), $"signed by instance {other}");
    }

    [Fact]
    public async Task A_proof_from_another_account_is_refused()
    {
        var node = Launch();
        await Refused(StatusCode.PermissionDenied, Join(node, await ProofAsync(node, account: "111122223333")), "account 111122223333");
    }

    [Fact]
    public async Task A_stale_proof_is_refused()
    {
        var node = Launch();
        var proof = await ProofAsync(node);
        _clock.Advance(TimeSpan.FromMinutes(16));
        await Refused(StatusCode.Unauthenticated, Join(node, proof), "more than 15 minutes");
    }

    [Fact]
    public async Task A_proof_of_another_action_is_refused()
    {
        var node = Launch();
        var proof = await ProofAsync(node);
        proof.Body = ByteString.CopyFromUtf8("Action=AssumeRole&Version=2011-06-15&RoleArn=x&RoleSessionName=y");
        await Refused(StatusCode.PermissionDenied, Join(node, proof), "only sts:GetCallerIdentity");
    }

    [Fact]
    public async Task A_proof_whose_signature_does_not_cover_the_cluster_is_refused()
    {
        var node = Launch();
        var proof = await ProofAsync(node);
        var authorization = proof.Headers.Single(h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase));
        proof.Headers[authorization.Key] = authorization.Value.Replace(";x-kubes-cluster", "", StringComparison.Ordinal);
        await Refused(StatusCode.PermissionDenied, Join(node, proof), "does not cover header 'x-kubes-cluster'");
    }

    [Fact]
    public async Task The_proof_is_replayed_to_the_coordinators_sts_and_never_to_the_url_the_agent_names()
    {
        var node = Launch();
        var proof = await ProofAsync(node);
        proof.Url = "http://127.0.0.1:1/forged-sts";

        var response = await _registrar.JoinAsync(Join(node, proof), peer: null);

        Assert.Equal(node, response.RoleConfig.Name);
    }

    [Theory]
    [InlineData(InstanceRole.Etcd)]
    [InlineData(InstanceRole.Controller)]
    [InlineData(InstanceRole.Bastion)]
    public async Task Only_a_node_may_join_with_a_proof(InstanceRole role)
    {
        var node = Launch(role);
        await Refused(StatusCode.PermissionDenied, Join(node, await ProofAsync(node), role), "accepted only from the nodes");
    }

    [Fact]
    public async Task A_node_instance_not_tagged_for_the_cluster_is_refused_even_with_a_valid_proof()
    {
        var node = Launch(cluster: "staging");
        await Refused(StatusCode.PermissionDenied, Join(node, await ProofAsync(node)), "is not tagged kubes.io/cluster=prod");
    }

    private string Launch(InstanceRole role = InstanceRole.Node, string cluster = Cluster)
    {
        var id = "i-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(9))[..17];
        _directory.Put(new InstanceRecord(id, InstanceState.Running, IPAddress.Parse("10.0.3.77"), new Dictionary<string, string>
        {
            [InstanceTags.Cluster] = cluster,
            [InstanceTags.Role] = role.TagValue(),
        }, "us-east-1a"));
        return id;
    }

    /// <summary>What the agent on <paramref name="instanceId"/> sends: credentials of <paramref name="role"/> with the instance id
    /// as session name (how EC2 hands out an instance profile's), signed by the agent's signer at the test clock's time.</summary>
    private async Task<SignedCallerIdentity> ProofAsync(string instanceId, string? role = null, string cluster = Cluster,
        string? account = null)
    {
        var assumed = await _sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = $"arn:aws:iam::{account ?? _account}:role/kubes/{Cluster}/{role ?? NodeRole}",
            RoleSessionName = instanceId,
        });
        var credentials = new AgentCredentials(role ?? NodeRole, assumed.Credentials.AccessKeyId, assumed.Credentials.SecretAccessKey,
            assumed.Credentials.SessionToken);
        return await new CallerIdentitySigner(_moto.Endpoint, MotoServer.Region, _clock).SignAsync(credentials, cluster, CancellationToken.None);
    }

    private static JoinRequest Join(string instanceId, SignedCallerIdentity proof, InstanceRole role = InstanceRole.Node) => new()
    {
        AgentVersion = "test",
        Identity = new InstanceIdentity
        {
            Cluster = Cluster,
            InstanceId = instanceId,
            PrivateIp = "10.0.3.77",
            AvailabilityZone = "us-east-1a",
            Role = role.ToProto(),
            Slot = 0,
            CallerIdentity = proof,
        },
    };

    private async Task Refused(StatusCode code, JoinRequest join, string reason)
    {
        var refusal = await Assert.ThrowsAsync<RegistrationRefusedException>(() => _registrar.JoinAsync(join, peer: null));
        Assert.Equal(code, refusal.Code);
        Assert.Contains(reason, refusal.Message);
    }
}
