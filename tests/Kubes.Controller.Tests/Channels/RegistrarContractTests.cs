using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Kubes.Controller.Registrar;
using Kubes.Controller.State;
using Kubes.Controller.Status;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging;

namespace Kubes.Controller.Tests.Channels;

/// <summary>
/// The one conversation both channels carry: join, certify, report, and every refusal. Each
/// channel's test class runs all of these against a real registrar over a real state store.
/// </summary>
public abstract class RegistrarContractTests : IAsyncLifetime
{
    protected RegistrarWorld World { get; private set; } = null!;
    protected IAgentChannel Channel { get; private set; } = null!;

    protected abstract Task<IStateStore> CreateStoreAsync();

    protected abstract Task<IAgentChannel> OpenChannelAsync(RegistrarWorld world);

    /// <summary>gRPC's own message limit answers ResourceExhausted; the mailbox answers InvalidArgument.</summary>
    protected abstract StatusCode OversizedRequestCode { get; }

    public async Task InitializeAsync()
    {
        World = RegistrarWorld.Create(await CreateStoreAsync());
        Channel = await OpenChannelAsync(World);
    }

    public virtual async Task DisposeAsync()
    {
        await Channel.DisposeAsync();
        World.Dispose();
    }

    private async Task<ChannelRefusedException> Refused(StatusCode code, Func<Task> call, string? reason = null)
    {
        var refusal = await Assert.ThrowsAsync<ChannelRefusedException>(call);
        Assert.Equal(code, refusal.Code);
        if (reason is not null) Assert.Contains(reason, refusal.Detail);
        Assert.True(World.Log.Contains(LogLevel.Warning, refusal.Detail) || code == OversizedRequestCode,
            $"the refusal '{refusal.Detail}' was not logged");
        return refusal;
    }

    private async Task<(TestAgent Agent, string Credential)> JoinedAsync(InstanceRole role = InstanceRole.Etcd, int slot = 0)
    {
        var agent = await World.LaunchAsync(role, slot);
        var joined = await Channel.JoinAsync(agent, agent.Join());
        return (agent, joined.AgentCredential);
    }

    // The conversation.

    [Fact]
    public async Task Join_returns_a_credential_and_the_slots_sealed_role_config()
    {
        var agent = await World.LaunchAsync(InstanceRole.Etcd, 1);
        var response = await Channel.JoinAsync(agent, agent.Join());

        Assert.Matches("^kac_[A-Za-z0-9_-]{43}$", response.AgentCredential);
        var config = response.RoleConfig;
        Assert.True(config.HasValidConfigHash());
        Assert.Equal(("prod", Role.Etcd, 1, "etcd-1"), (config.Cluster, config.Role, config.Slot, config.Name));
        Assert.Equal(3, config.Etcd.Members.Count);
        Assert.Equal("etcd-member/etcd-1", Assert.Single(config.Certificates).Identity);
        var status = Assert.Single(World.Status.Snapshot());
        Assert.Equal((agent.InstanceId, Phase.Joining), (status.InstanceId, status.LastReport.Phase));
    }

    [Fact]
    public async Task Certify_returns_a_certificate_for_the_agents_own_key()
    {
        var (agent, credential) = await JoinedAsync(InstanceRole.Etcd, 2);
        var (csr, key) = TestAgent.Csr("etcd-member/etcd-2");
        using var _ = key;

        var response = await Channel.CertifyAsync(agent, agent.Certify(credential, csr));

        var issued = Assert.Single(response.Certificates);
        Assert.Equal("etcd-member/etcd-2", issued.Identity);
        using var certificate = X509Certificate2.CreateFromPem(issued.CertificatePem);
        Assert.Equal(((ECDsa)key).ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(World.Issuer.Ca.ExportCertificatePem(), issued.CaPem);
        Assert.Equal((agent.InstanceId, "etcd-member/etcd-2"), Assert.Single(World.Issuer.Issued));
    }

    [Fact]
    public async Task Report_is_stored_for_kubes_status_and_published()
    {
        var (agent, credential) = await JoinedAsync();
        await Channel.ReportAsync(agent, agent.Report(credential, Phase.Installing, "download etcd"));

        var stored = await new AgentStatusStore(World.Store).GetAsync(agent.InstanceId);
        Assert.NotNull(stored);
        Assert.Equal((Phase.Installing, "download etcd", "etcd-0", agent.Address.ToString()),
            (stored.LastReport.Phase, stored.LastReport.Step, stored.Name, stored.PrivateIp));
        Assert.Equal(stored, Assert.Single(World.Status.Snapshot()));
    }

    // The tell.

    [Fact]
    public async Task A_reports_answer_names_the_config_hash_of_the_configuration_the_agent_joined_with()
    {
        var agent = await World.LaunchAsync(InstanceRole.Etcd, 1);
        var joined = await Channel.JoinAsync(agent, agent.Join());

        var answer = await Channel.ReportAsync(agent, agent.Report(joined.AgentCredential, Phase.Ready, "health"));

        Assert.Equal(joined.RoleConfig.ConfigHash, answer.DesiredConfigHash);
    }

    [Fact]
    public async Task Once_its_slot_is_moved_to_a_newer_desired_state_the_answer_names_that_and_a_rejoin_hands_it_out()
    {
        await World.RecordGenerationAsync(World.Spec);
        var agent = await World.LaunchAsync(InstanceRole.Etcd, 2);
        var joined = await Channel.JoinAsync(agent, agent.Join());
        await World.RecordGenerationAsync(World.Spec with
        {
            Components = new Dictionary<string, Kubes.Controller.Spec.ComponentSpec>
            {
                ["etcd"] = new() { ExtraArgs = new Dictionary<string, string> { ["snapshot-count"] = "5000" } },
            },
        });

        var beforeTheRoll = await Channel.ReportAsync(agent, agent.Report(joined.AgentCredential, Phase.Ready, "health"));
        await World.Assignments.AssignAsync("etcd-2", 2, CancellationToken.None);
        var told = await Channel.ReportAsync(agent, agent.Report(joined.AgentCredential, Phase.Ready, "health"));
        var rejoined = await Channel.JoinAsync(agent, agent.Join(proof: joined.AgentCredential));

        Assert.Equal(joined.RoleConfig.ConfigHash, beforeTheRoll.DesiredConfigHash);
        Assert.NotEqual(joined.RoleConfig.ConfigHash, told.DesiredConfigHash);
        Assert.Equal(told.DesiredConfigHash, rejoined.RoleConfig.ConfigHash);
        Assert.True(rejoined.RoleConfig.HasValidConfigHash());
        Assert.Equal(("snapshot-count", "5000"), (rejoined.RoleConfig.Etcd.ExtraArgs.Single().Name, rejoined.RoleConfig.Etcd.ExtraArgs.Single().Value));
    }

    [Fact]
    public async Task Only_a_proven_first_join_places_its_slot_on_the_newest_desired_state()
    {
        await World.RecordGenerationAsync(World.Spec);
        var agent = await World.LaunchAsync(InstanceRole.Etcd, 0);

        await Refused(StatusCode.Unauthenticated, () => Channel.JoinAsync(agent, agent.Join(proof: "kjt_" + new string('Q', 43))));
        Assert.Null(await World.Assignments.GetAsync("etcd-0", CancellationToken.None));

        await Channel.JoinAsync(agent, agent.Join());
        Assert.Equal(1, await World.Assignments.GetAsync("etcd-0", CancellationToken.None));
    }

    [Fact]
    public async Task Rejoin_with_its_own_credential_returns_the_same_credential_and_config()
    {
        var agent = await World.LaunchAsync(InstanceRole.Etcd, 0);
        var first = await Channel.JoinAsync(agent, agent.Join());
        var again = await Channel.JoinAsync(agent, agent.Join(proof: first.AgentCredential));
        Assert.Equal(first.AgentCredential, again.AgentCredential);
        Assert.Equal(first.RoleConfig, again.RoleConfig);
    }

    [Fact]
    public async Task A_rejoin_to_ask_for_the_configuration_again_leaves_the_agents_last_report_as_it_was()
    {
        var (agent, credential) = await JoinedAsync(InstanceRole.Etcd, 1);
        await Channel.ReportAsync(agent, agent.Report(credential, Phase.Ready, "health"));
        var ready = Assert.Single(World.Status.Snapshot());

        await Channel.JoinAsync(agent, agent.Join(proof: credential));

        Assert.Equal(ready, Assert.Single(World.Status.Snapshot()));
        Assert.Equal(ready, await new AgentStatusStore(World.Store).GetAsync(agent.InstanceId));
    }

    [Fact]
    public async Task Rejoin_with_a_new_token_is_refused()
    {
        var (agent, _) = await JoinedAsync();
        var fresh = await World.Tokens.IssueForSlotAsync(InstanceRole.Etcd, 0, RegistrarWorld.TokenLifetime);
        await Refused(StatusCode.FailedPrecondition, () => Channel.JoinAsync(agent, agent.Join(proof: fresh)), "already joined");
    }

    [Fact]
    public async Task Rejoin_with_another_instances_credential_is_refused()
    {
        var (_, otherCredential) = await JoinedAsync(InstanceRole.Etcd, 1);
        var (agent, _) = await JoinedAsync(InstanceRole.Etcd, 0);
        await Refused(StatusCode.Unauthenticated, () => Channel.JoinAsync(agent, agent.Join(proof: otherCredential)));
    }

    // Join tokens.

    [Fact]
    public async Task A_reused_token_is_refused()
    {
        var first = await World.LaunchAsync(InstanceRole.Etcd, 0);
        await Channel.JoinAsync(first, first.Join());
        World.Directory.SetState(first.InstanceId, InstanceState.Terminated);
        var replacement = await World.LaunchAsync(InstanceRole.Etcd, 0);

        await Refused(StatusCode.Unauthenticated, () => Channel.JoinAsync(replacement, replacement.Join(proof: first.JoinToken)),
            "already used");
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var agent = await World.LaunchAsync(InstanceRole.Etcd, 0);
        World.Clock.Advance(RegistrarWorld.TokenLifetime + TimeSpan.FromMinutes(1));
        await Refused(StatusCode.Unauthenticated, () => Channel.JoinAsync(agent, agent.Join()), "expired");
    }

    [Fact]
    public async Task Another_instances_token_is_refused()
    {
        var owner = await World.LaunchAsync(InstanceRole.Node, 0, bindTokenToInstance: true);
        var thief = await World.LaunchAsync(InstanceRole.Node, 0);
        await Refused(StatusCode.PermissionDenied, () => Channel.JoinAsync(thief, thief.Join(proof: owner.JoinToken)),
            owner.InstanceId);
    }

    [Fact]
    public async Task Another_slots_token_is_refused()
    {
        var etcd1 = await World.LaunchAsync(InstanceRole.Etcd, 1);
        var etcd0 = await World.LaunchAsync(InstanceRole.Etcd, 0);
        await Refused(StatusCode.PermissionDenied, () => Channel.JoinAsync(etcd0, etcd0.Join(proof: etcd1.JoinToken)), "etcd-1");
    }

    [Fact]
    public async Task Unknown_and_malformed_tokens_are_refused()
    {
        var agent = await World.LaunchAsync(InstanceRole.Etcd, 0);
        await Refused(StatusCode.Unauthenticated, () => Channel.JoinAsync(agent, agent.Join(proof: "kjt_" + new string('Q', 43))), "unknown");
        await Refused(StatusCode.Unauthenticated, () => Channel.JoinAsync(agent, agent.Join(proof: "let me in")));
        await Refused(StatusCode.Unauthenticated, () => Channel.JoinAsync(agent, agent.Join(proof: "")));
    }

    [Fact]
    public async Task A_refused_join_does_not_spend_the_token()
    {
        var agent = await World.LaunchAsync(InstanceRole.Etcd, 0);
        await Refused(StatusCode.PermissionDenied, () => Channel.JoinAsync(agent, agent.Join(role: InstanceRole.Controller)));
        await Refused(StatusCode.PermissionDenied, () => Channel.JoinAsync(agent, agent.Join(slot: 1)));
        Assert.NotEmpty((await Channel.JoinAsync(agent, agent.Join())).AgentCredential);
    }

    [Fact]
    public async Task Of_two_concurrent_joins_with_one_token_exactly_one_succeeds()
    {
        var first = await World.LaunchAsync(InstanceRole.Etcd, 0);
        var second = await World.LaunchAsync(InstanceRole.Etcd, 0);
        var results = await Task.WhenAll(
            Outcome(() => Channel.JoinAsync(first, first.Join())),
            Outcome(() => Channel.JoinAsync(second, second.Join(proof: first.JoinToken))));
        Assert.Single(results, refusal => refusal is null);
        Assert.Single(results, refusal => refusal is StatusCode.Unauthenticated);

        static async Task<StatusCode?> Outcome(Func<Task> join)
        {
            try
            {
                await join();
                return null;
            }
            catch (ChannelRefusedException e)
            {
                return e.Code;
            }
        }
    }

    // The instance.

    [Fact]
    public async Task An_instance_not_tagged_for_the_cluster_is_refused()
    {
        var agent = await World.LaunchAsync(InstanceRole.Etcd, 0, tags: new Dictionary<string, string>
        {
            [InstanceTags.Cluster] = "staging",
            [InstanceTags.Role] = "etcd",
            [InstanceTags.Slot] = "etcd-0",
        });
        await Refused(StatusCode.PermissionDenied, () => Channel.JoinAsync(agent, agent.Join()), "kubes.io/cluster=prod");
    }

    [Fact]
    public async Task A_role_the_instance_is_not_tagged_with_is_refused()
    {
        var agent = await World.LaunchAsync(InstanceRole.Node, 0);
        await Refused(StatusCode.PermissionDenied, () => Channel.JoinAsync(agent, agent.Join(role: InstanceRole.Controller, slot: 0)),
            "claims role controller");
    }

    [Fact]
    public async Task A_slot_the_instance_is_not_tagged_with_is_refused()
    {
        var agent = await World.LaunchAsync(InstanceRole.Etcd, 0);
        await Refused(StatusCode.PermissionDenied, () => Channel.JoinAsync(agent, agent.Join(slot: 2)), "claims slot etcd-2");
    }

    [Fact]
    public async Task Another_cluster_claimed_is_refused()
    {
        var agent = await World.LaunchAsync(InstanceRole.Etcd, 0);
        await Refused(StatusCode.PermissionDenied, () => Channel.JoinAsync(agent, agent.Join(cluster: "staging")), "staging");
    }

    [Fact]
    public async Task An_unknown_instance_is_not_found_and_a_stopped_one_is_refused()
    {
        var agent = await World.LaunchAsync(InstanceRole.Etcd, 0);
        var ghost = agent with { InstanceId = "i-00000000000000000" };
        await Refused(StatusCode.NotFound, () => Channel.JoinAsync(ghost, ghost.Join()), "does not exist");

        World.Directory.SetState(agent.InstanceId, InstanceState.Stopped);
        await Refused(StatusCode.FailedPrecondition, () => Channel.JoinAsync(agent, agent.Join()), "stopped");
    }

    // Certify.

    [Fact]
    public async Task Certify_with_another_instances_credential_is_refused()
    {
        var (_, victimCredential) = await JoinedAsync(InstanceRole.Etcd, 1);
        var (attacker, _) = await JoinedAsync(InstanceRole.Etcd, 0);
        var (csr, key) = TestAgent.Csr("etcd-member/etcd-0");
        using var _ = key;
        await Refused(StatusCode.Unauthenticated, () => Channel.CertifyAsync(attacker, attacker.Certify(victimCredential, csr)));
        Assert.Empty(World.Issuer.Issued);
    }

    [Fact]
    public async Task Certify_before_joining_is_refused()
    {
        var agent = await World.LaunchAsync(InstanceRole.Etcd, 0);
        var (csr, key) = TestAgent.Csr("etcd-member/etcd-0");
        using var _ = key;
        await Refused(StatusCode.Unauthenticated, () => Channel.CertifyAsync(agent, agent.Certify("kac_" + new string('A', 43), csr)));
    }

    [Theory]
    [InlineData("etcd-member/etcd-1")]
    [InlineData("kubernetes-admin")]
    [InlineData("kube-apiserver")]
    public async Task Certify_for_an_identity_the_slot_is_not_entitled_to_is_refused_whole(string identity)
    {
        var (agent, credential) = await JoinedAsync(InstanceRole.Etcd, 0);
        var (own, ownKey) = TestAgent.Csr("etcd-member/etcd-0");
        var (foreign, foreignKey) = TestAgent.Csr(identity);
        using var _ = ownKey;
        using var __ = foreignKey;
        await Refused(StatusCode.PermissionDenied, () => Channel.CertifyAsync(agent, agent.Certify(credential, own, foreign)),
            $"not entitled to a certificate for '{identity}'");
        Assert.Empty(World.Issuer.Issued);
    }

    [Fact]
    public async Task Certify_after_the_instance_stopped_running_is_refused()
    {
        var (agent, credential) = await JoinedAsync();
        World.Directory.SetState(agent.InstanceId, InstanceState.Terminated);
        var (csr, key) = TestAgent.Csr("etcd-member/etcd-0");
        using var _ = key;
        await Refused(StatusCode.FailedPrecondition, () => Channel.CertifyAsync(agent, agent.Certify(credential, csr)), "terminated");
    }

    [Fact]
    public async Task A_malformed_or_forged_csr_is_refused()
    {
        var (agent, credential) = await JoinedAsync();
        var garbage = new CertificateSigningRequest { Identity = "etcd-member/etcd-0", CsrPem = "-----BEGIN CERTIFICATE REQUEST-----\nnope\n-----END CERTIFICATE REQUEST-----" };
        await Refused(StatusCode.InvalidArgument, () => Channel.CertifyAsync(agent, agent.Certify(credential, garbage)), "PKCS#10");

        var (csr, key) = TestAgent.Csr("etcd-member/etcd-0");
        using var _ = key;
        var der = Convert.FromBase64String(string.Concat(csr.CsrPem.Split('\n').Where(l => !l.StartsWith("-----"))));
        der[^5] ^= 0x01; // inside the signature
        var forged = new CertificateSigningRequest { Identity = "etcd-member/etcd-0", CsrPem = PemEncoding.WriteString("CERTIFICATE REQUEST", der) };
        await Refused(StatusCode.InvalidArgument, () => Channel.CertifyAsync(agent, agent.Certify(credential, forged)));
        Assert.Empty(World.Issuer.Issued);
    }

    [Fact]
    public async Task A_csr_with_another_key_algorithm_than_the_config_asks_for_is_refused()
    {
        var (agent, credential) = await JoinedAsync();
        var (csr, key) = TestAgent.Csr("etcd-member/etcd-0", "rsa-2048");
        using var _ = key;
        await Refused(StatusCode.InvalidArgument, () => Channel.CertifyAsync(agent, agent.Certify(credential, csr)), "rsa-2048");
    }

    [Fact]
    public async Task Too_many_or_repeated_csrs_are_refused()
    {
        var (agent, credential) = await JoinedAsync();
        var (csr, key) = TestAgent.Csr("etcd-member/etcd-0");
        using var _ = key;
        var many = Enumerable.Range(0, RegistrarLimits.MaxCsrsPerRequest + 1)
            .Select(i => new CertificateSigningRequest { Identity = $"etcd-member/etcd-{i}", CsrPem = csr.CsrPem }).ToArray();
        await Refused(StatusCode.InvalidArgument, () => Channel.CertifyAsync(agent, agent.Certify(credential, many)), "at most 16");
        await Refused(StatusCode.InvalidArgument, () => Channel.CertifyAsync(agent, agent.Certify(credential, csr, csr)), "more than once");
        await Refused(StatusCode.InvalidArgument, () => Channel.CertifyAsync(agent, agent.Certify(credential)), "no CSRs");
    }

    // Report.

    [Fact]
    public async Task Report_with_a_wrong_credential_is_refused()
    {
        var (_, otherCredential) = await JoinedAsync(InstanceRole.Etcd, 1);
        var (agent, _) = await JoinedAsync(InstanceRole.Etcd, 0);
        await Refused(StatusCode.Unauthenticated, () => Channel.ReportAsync(agent, agent.Report(otherCredential, Phase.Ready)));
        Assert.Equal(Phase.Joining, (await new AgentStatusStore(World.Store).GetAsync(agent.InstanceId))!.LastReport.Phase);
    }

    [Fact]
    public async Task A_report_without_a_report_or_with_an_unknown_phase_is_refused()
    {
        var (agent, credential) = await JoinedAsync();
        await Refused(StatusCode.InvalidArgument, () => Channel.ReportAsync(agent,
            new ReportRequest { InstanceId = agent.InstanceId, AgentCredential = credential }), "no report");
        await Refused(StatusCode.InvalidArgument, () => Channel.ReportAsync(agent, agent.Report(credential, (Phase)42)), "not a phase");
    }

    // Malformed and oversized.

    [Fact]
    public async Task A_malformed_join_is_refused()
    {
        var agent = await World.LaunchAsync(InstanceRole.Etcd, 0);
        await Refused(StatusCode.InvalidArgument, () => Channel.JoinAsync(agent, new JoinRequest { AgentVersion = "x" }));
        var unspecified = agent.Join();
        unspecified.Identity.Role = Role.Unspecified;
        await Refused(StatusCode.InvalidArgument, () => Channel.JoinAsync(agent, unspecified), "not a role");
        await Refused(StatusCode.InvalidArgument, () => Channel.JoinAsync(agent, agent.Join(slot: -1)), "out of range");
        await Refused(StatusCode.InvalidArgument, () => Channel.JoinAsync(agent, agent.Join(instanceId: "../../etc")));
    }

    [Fact]
    public async Task An_oversized_request_is_refused()
    {
        var agent = await World.LaunchAsync(InstanceRole.Etcd, 0);
        var huge = agent.Join();
        huge.AgentVersion = new string('x', RegistrarLimits.MaxRequestBytes + 1);
        await Refused(OversizedRequestCode, () => Channel.JoinAsync(agent, huge));
        Assert.NotEmpty((await Channel.JoinAsync(agent, agent.Join())).AgentCredential);
    }
}
