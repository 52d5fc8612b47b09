using System.Security.Cryptography;
using Kubes.Agent.Components.KubeApiServer;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.FileSystem;
using Kubes.Agent.Pki;
using Kubes.Agent.Steps;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Components.KubeApiServer;

public sealed class KubeApiServerComponentTests : IDisposable
{
    private static readonly Artifact[] Artifacts = [NodeConfigs.Artifact(ArtifactNames.KubeApiServer, "1.36.3")];
    private readonly TempRoot _root = new();

    private static KubeApiServerLayout Aws(RoleConfig? config = null) =>
        new(config ?? ControllerConfigs.Controller("controller-0", Artifacts), new AgentPaths("/"), new PkiFiles(new AgentPaths("/")));

    [Fact]
    public void Its_unit_is_the_golden_file() =>
        Golden.AssertMatches("kube-apiserver.service", KubeApiServerUnit.Build(Aws()).Render());

    [Fact]
    public void Its_authentication_configuration_lets_anonymous_requests_reach_the_health_endpoints_only() =>
        Golden.AssertMatches("authentication-config.yaml", KubeApiServerConfigFiles.RenderAuthentication());

    [Fact]
    public void Its_audit_policy_is_the_golden_file() =>
        Golden.AssertMatches("audit-policy.yaml", KubeApiServerConfigFiles.RenderAudit());

    [Fact]
    public void Its_encryption_configuration_writes_with_the_first_key_and_still_reads_plain_text() =>
        Golden.AssertMatches("encryption-config.yaml", KubeApiServerConfigFiles.RenderEncryption(Aws()));

    [Fact]
    public void The_service_account_issuer_is_the_ha_endpoint_and_it_binds_to_the_slots_address_only()
    {
        var flags = KubeApiServerUnit.Build(Aws()).ExecStart;

        Assert.Contains("--service-account-issuer=https://demo-api-0123456789abcdef.elb.us-east-1.amazonaws.com:6443", flags);
        Assert.Contains("--bind-address=10.0.0.20", flags);
        Assert.Contains("--etcd-servers=https://10.0.0.10:2379,https://10.0.16.10:2379,https://10.0.32.10:2379", flags);
        Assert.DoesNotContain(flags, flag => flag.StartsWith("--anonymous-auth", StringComparison.Ordinal));
    }

    [Fact]
    public void The_operators_flags_are_added_to_the_command_line()
    {
        var config = ControllerConfigs.Controller("controller-0", Artifacts);
        config.KubeApiserver.ExtraArgs.Add(new Flag { Name = "v", Value = "4" });

        Assert.Contains("--v=4", KubeApiServerUnit.Build(Aws(config)).ExecStart);
    }

    [Fact]
    public void Every_controllers_key_is_trusted_and_its_own_before_the_coordinator_lists_it()
    {
        using var own = RSA.Create(2048);
        var ownPem = own.ExportSubjectPublicKeyInfoPem();

        var before = KubeApiServerConfigFiles.RenderServiceAccountPublicKeys(Aws(), ownPem);
        var config = ControllerConfigs.Controller("controller-0", Artifacts);
        config.KubeApiserver.ServiceAccountPublicKeys.Add(ownPem);
        var after = KubeApiServerConfigFiles.RenderServiceAccountPublicKeys(Aws(config), ownPem);

        Assert.Equal(ControllerConfigs.ServiceAccountKey1 + "\n" + ownPem + "\n", before);
        Assert.Equal(before, after);
    }

    [Theory]
    [InlineData("section")]
    [InlineData("etcd")]
    [InlineData("endpoint")]
    [InlineData("encryption")]
    [InlineData("short-key")]
    [InlineData("serving")]
    [InlineData("front-proxy")]
    [InlineData("artifact")]
    public void A_configuration_lacking_what_the_apiserver_needs_is_refused(string lacking)
    {
        var config = ControllerConfigs.Controller("controller-0", Artifacts);
        switch (lacking)
        {
            case "section": config.KubeApiserver = null; break;
            case "etcd": config.KubeApiserver.EtcdServers[1] = "http://10.0.16.10:2379"; break;
            case "endpoint": config.KubeApiserver.ApiEndpoint = "10.0.0.3:6443"; break;
            case "encryption": config.KubeApiserver.EncryptionKeys.Clear(); break;
            case "short-key": config.KubeApiserver.EncryptionKeys[0].Secret = Convert.ToBase64String(new byte[16]); break;
            case "serving": config.Certificates.Remove(config.Certificates.Single(c => c.FileStem == "apiserver")); break;
            case "front-proxy": config.Certificates.Remove(config.Certificates.Single(c => c.FileStem == "front-proxy-client")); break;
            case "artifact": config.Artifacts.Clear(); break;
        }

        var error = lacking == "artifact"
            ? (Exception)Assert.Throws<ArtifactNotProvidedException>(() => Aws(config))
            : Assert.Throws<InvalidRoleConfigException>(() => Aws(config));

        Assert.Contains(lacking == "artifact" ? "'kubes artifacts import DIR'" : "the coordinator's RoleConfig must be fixed", error.Message);
    }

    [Fact]
    public async Task The_service_account_key_is_made_here_owner_only_and_kept_once_made()
    {
        var files = new ServiceAccountKeyFiles(new PkiFiles(new AgentPaths(_root.Path)));
        var step = new ServiceAccountKeyStep(files);
        Assert.False(await step.IsDoneAsync(CancellationToken.None));

        await step.ApplyAsync(CancellationToken.None);
        var first = files.ReadPublicKey();
        await step.ApplyAsync(CancellationToken.None);

        Assert.True(await step.IsDoneAsync(CancellationToken.None));
        Assert.Equal(AtomicFile.OwnerOnly, File.GetUnixFileMode(files.PrivateKeyFile));
        Assert.NotNull(first);
        Assert.Equal(first, files.ReadPublicKey());
        using var rsa = RSA.Create();
        rsa.ImportFromPem(await File.ReadAllTextAsync(files.PrivateKeyFile));
        Assert.Equal(KubeApiServerLayout.ServiceAccountKeyBits, rsa.KeySize);
    }

    [Fact]
    public async Task Only_the_public_key_is_published_and_the_step_is_done_once_the_coordinator_took_it()
    {
        var paths = new AgentPaths(_root.Path);
        var layout = new KubeApiServerLayout(ControllerConfigs.Controller("controller-0", Artifacts), paths, new PkiFiles(paths));
        await new ServiceAccountKeyStep(layout.ServiceAccountKey).ApplyAsync(CancellationToken.None);
        var session = new AgentSession();
        session.Joined("i-0123456789abcdef0", "kac_test");
        var channel = new RecordingRegistrar();
        var step = new ServiceAccountKeyPublishStep(layout, paths.StateDir, channel, session);
        Assert.False(await step.IsDoneAsync(CancellationToken.None));

        await step.ApplyAsync(CancellationToken.None);

        var sent = Assert.Single(channel.Requests);
        Assert.Empty(sent.Requests);
        Assert.DoesNotContain("PRIVATE", sent.ServiceAccountPublicKey);
        Assert.Equal(layout.ServiceAccountKey.ReadPublicKey(), sent.ServiceAccountPublicKey);
        Assert.True(await step.IsDoneAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_key_the_configuration_lists_needs_no_publishing()
    {
        var paths = new AgentPaths(_root.Path);
        var files = new ServiceAccountKeyFiles(new PkiFiles(paths));
        await new ServiceAccountKeyStep(files).ApplyAsync(CancellationToken.None);
        var config = ControllerConfigs.Controller("controller-0", Artifacts);
        config.KubeApiserver.ServiceAccountPublicKeys.Add(files.ReadPublicKey());

        var step = new ServiceAccountKeyPublishStep(new KubeApiServerLayout(config, paths, new PkiFiles(paths)), paths.StateDir,
            new RecordingRegistrar(), new AgentSession());

        Assert.True(await step.IsDoneAsync(CancellationToken.None));
    }

    [Fact]
    public void The_steps_keep_their_names_and_every_file_it_reads_is_written_owner_only()
    {
        var paths = new AgentPaths(_root.Path);
        var component = new KubeApiServerComponent(paths, new PkiFiles(paths), Kubes.Agent.Tests.Components.ComponentSteps.For(paths), new RecordingRegistrar(),
            new AgentSession(), new KubeApiServerHealthCheck(new Kubes.Agent.Probes.HttpsHealthProbe()));

        var steps = component.PlanSteps(ControllerConfigs.Controller("controller-0", Artifacts));

        Assert.Equal(
        [
            "download-kube-apiserver", "install-kube-apiserver", "service-account-key", "publish-service-account-key",
            "render-kube-apiserver-service-account-keys", "render-kube-apiserver-authentication", "render-kube-apiserver-audit-policy",
            "render-kube-apiserver-encryption", "configure-kube-apiserver", "start-kube-apiserver",
        ], steps.Select(s => s.Name));
        Assert.All(steps.OfType<RenderFileStep>(), step => Assert.Equal(AtomicFile.OwnerOnly, step.Mode));
    }

    private sealed class RecordingRegistrar : Agent.Channels.IRegistrarChannel
    {
        public List<CertifyRequest> Requests { get; } = [];

        public Task<JoinResponse> JoinAsync(JoinRequest request, CancellationToken cancellationToken) => throw new InvalidOperationException();

        public Task<CertifyResponse> CertifyAsync(CertifyRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request.Clone());
            return Task.FromResult(new CertifyResponse());
        }

        public Task<ReportResponse> ReportAsync(ReportRequest request, CancellationToken cancellationToken) => throw new InvalidOperationException();
    }

    public void Dispose() => _root.Dispose();
}
