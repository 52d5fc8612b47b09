using Kubes.Agent.Components;
using Kubes.Agent.Components.KubeApiServer;
using Kubes.Agent.Components.KubeControllerManager;
using Kubes.Agent.Components.KubeScheduler;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Pki;
using Kubes.Agent.Probes;
using Kubes.Agent.Steps;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;
using YamlDotNet.RepresentationModel;

namespace Kubes.Agent.Tests.Components;

/// <summary>
/// The CIS Kubernetes Benchmark's automated control-plane recommendations (1.1 the control plane's files, 1.2 the API
/// server, 1.3 the controller manager, 1.4 the scheduler) checked against what the agent renders for a controller: the
/// three command lines, the scheduler's and the apiserver's files, and the mode of every file the components' steps write
/// (written for real under a root folder of the test). Recommendations Kubes does not follow are the exceptions below,
/// each with its reason; docs/control-plane.md lists the same ones.
/// </summary>
public sealed class CisControlPlaneBenchmarkTests(CisControlPlaneBenchmarkTests.WrittenController written)
    : IClassFixture<CisControlPlaneBenchmarkTests.WrittenController>
{
    public sealed record RenderedController(
        IReadOnlyList<string> ApiServer, IReadOnlyList<string> ControllerManager, IReadOnlyList<string> Scheduler,
        YamlMappingNode SchedulerConfig, YamlMappingNode Encryption, IReadOnlyDictionary<string, UnixFileMode> Files);

    public sealed record Recommendation(string Section, string Text, Func<RenderedController, bool> Holds)
    {
        public override string ToString() => $"{Section} {Text}";
    }

    private static string? Value(IReadOnlyList<string> commandLine, string flag) =>
        commandLine.FirstOrDefault(a => a.StartsWith($"--{flag}=", StringComparison.Ordinal))?[(flag.Length + 3)..];

    private static bool Has(IReadOnlyList<string> commandLine, string flag) => Value(commandLine, flag) is { Length: > 0 };

    private static IReadOnlyList<string> List(IReadOnlyList<string> commandLine, string flag) => Value(commandLine, flag)?.Split(',') ?? [];

    private static string Scalar(YamlMappingNode map, params string[] path)
    {
        YamlNode node = map;
        foreach (var key in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var child)) return "";
            node = child;
        }
        return node is YamlScalarNode scalar ? scalar.Value ?? "" : "";
    }

    private static bool OwnerOnly(RenderedController c) =>
        c.Files.Count > 0 && c.Files.Values.All(mode => (mode & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite)) == 0);

    private static bool StrongCiphers(IReadOnlyList<string> commandLine) =>
        List(commandLine, "tls-cipher-suites") is { Count: > 0 } suites && suites.All(StrongTls.CipherSuites.Contains);

    public static readonly IReadOnlyList<Recommendation> Automated =
    [
        new("1.1", "the control plane's units, kubeconfigs and configuration files have permissions 600 or more restrictive", OwnerOnly),
        new("1.2", "--anonymous-auth is set to false", c => Value(c.ApiServer, "anonymous-auth") == "false"),
        new("1.2", "--token-auth-file is not set", c => !Has(c.ApiServer, "token-auth-file")),
        new("1.2", "--kubelet-client-certificate and --kubelet-client-key are set",
            c => Has(c.ApiServer, "kubelet-client-certificate") && Has(c.ApiServer, "kubelet-client-key")),
        new("1.2", "--kubelet-certificate-authority is set", c => Has(c.ApiServer, "kubelet-certificate-authority")),
        new("1.2", "--authorization-mode is not AlwaysAllow", c => List(c.ApiServer, "authorization-mode") is { Count: > 0 } m && !m.Contains("AlwaysAllow")),
        new("1.2", "--authorization-mode includes Node", c => List(c.ApiServer, "authorization-mode").Contains("Node")),
        new("1.2", "--authorization-mode includes RBAC", c => List(c.ApiServer, "authorization-mode").Contains("RBAC")),
        new("1.2", "the admission plugin AlwaysAdmit is not set", c => !List(c.ApiServer, "enable-admission-plugins").Contains("AlwaysAdmit")),
        new("1.2", "the admission plugin ServiceAccount is set", c => !List(c.ApiServer, "disable-admission-plugins").Contains("ServiceAccount")),
        new("1.2", "the admission plugin NamespaceLifecycle is set", c => !List(c.ApiServer, "disable-admission-plugins").Contains("NamespaceLifecycle")),
        new("1.2", "the admission plugin NodeRestriction is set", c => List(c.ApiServer, "enable-admission-plugins").Contains("NodeRestriction")),
        new("1.2", "--profiling is set to false", c => Value(c.ApiServer, "profiling") == "false"),
        new("1.2", "--audit-log-path is set", c => Has(c.ApiServer, "audit-log-path")),
        new("1.2", "--audit-log-maxage is set to 30 or as appropriate", c => int.TryParse(Value(c.ApiServer, "audit-log-maxage"), out var days) && days >= 30),
        new("1.2", "--audit-log-maxbackup is set to 10 or as appropriate", c => int.TryParse(Value(c.ApiServer, "audit-log-maxbackup"), out var n) && n >= 10),
        new("1.2", "--audit-log-maxsize is set to 100 or as appropriate", c => int.TryParse(Value(c.ApiServer, "audit-log-maxsize"), out var mb) && mb >= 100),
        new("1.2", "--service-account-lookup is set to true", c => Value(c.ApiServer, "service-account-lookup") is null or "true"),
        new("1.2", "--service-account-key-file is set", c => Has(c.ApiServer, "service-account-key-file")),
        new("1.2", "--etcd-certfile and --etcd-keyfile are set", c => Has(c.ApiServer, "etcd-certfile") && Has(c.ApiServer, "etcd-keyfile")),
        new("1.2", "--tls-cert-file and --tls-private-key-file are set", c => Has(c.ApiServer, "tls-cert-file") && Has(c.ApiServer, "tls-private-key-file")),
        new("1.2", "--client-ca-file is set", c => Has(c.ApiServer, "client-ca-file")),
        new("1.2", "--etcd-cafile is set", c => Has(c.ApiServer, "etcd-cafile")),
        new("1.2", "--encryption-provider-config is set", c => Has(c.ApiServer, "encryption-provider-config")),
        new("1.2", "encryption providers are appropriately configured (aescbc, kms or secretbox first)",
            c => c.Encryption.Children[new YamlScalarNode("resources")] is YamlSequenceNode { Children: [YamlMappingNode first, ..] }
                 && first.Children[new YamlScalarNode("providers")] is YamlSequenceNode { Children: [YamlMappingNode provider, ..] }
                 && provider.Children.Keys.OfType<YamlScalarNode>().Single().Value is "aescbc" or "kms" or "secretbox"),
        new("1.2", "the API server only makes use of strong cryptographic ciphers", c => StrongCiphers(c.ApiServer)),
        new("1.3", "--profiling is set to false", c => Value(c.ControllerManager, "profiling") == "false"),
        new("1.3", "--use-service-account-credentials is set to true", c => Value(c.ControllerManager, "use-service-account-credentials") == "true"),
        new("1.3", "--service-account-private-key-file is set", c => Has(c.ControllerManager, "service-account-private-key-file")),
        new("1.3", "--root-ca-file is set", c => Has(c.ControllerManager, "root-ca-file")),
        new("1.3", "the RotateKubeletServerCertificate feature gate is not set to false",
            c => !List(c.ControllerManager, "feature-gates").Contains("RotateKubeletServerCertificate=false")),
        new("1.3", "--bind-address is set to 127.0.0.1", c => Value(c.ControllerManager, "bind-address") == "127.0.0.1"),
        new("1.4", "--profiling is set to false", c => Scalar(c.SchedulerConfig, "enableProfiling") == "false" && !Has(c.Scheduler, "profiling")),
        new("1.4", "--bind-address is set to 127.0.0.1", c => Value(c.Scheduler, "bind-address") == "127.0.0.1"),
    ];

    /// <summary>What Kubes does not follow, and why (docs/control-plane.md, "CIS Benchmark exceptions", says the same).</summary>
    public static readonly IReadOnlyDictionary<string, string> Exceptions = new Dictionary<string, string>
    {
        ["--anonymous-auth is set to false"] =
            "anonymous requests reach /livez, /readyz and /healthz only (AuthenticationConfiguration), so load balancers probe without credentials",
    };

    private RenderedController Controller => written.Controller;

    public static TheoryData<string> Recommendations() => [.. Automated.Select(r => r.ToString())];

    [Theory]
    [MemberData(nameof(Recommendations))]
    public void A_controller_follows_each_automated_recommendation_but_the_listed_exceptions(string recommendation)
    {
        var checkedOne = Automated.Single(r => r.ToString() == recommendation);

        Assert.Equal(!Exceptions.ContainsKey(checkedOne.Text), checkedOne.Holds(Controller));
    }

    [Fact]
    public void Every_file_the_control_plane_reads_is_written_and_checked()
    {
        Assert.Contains(Controller.Files.Keys, path => path.EndsWith("encryption-config.yaml", StringComparison.Ordinal));
        Assert.Contains(Controller.Files.Keys, path => path.EndsWith("controller-manager.conf", StringComparison.Ordinal));
        Assert.Contains(Controller.Files.Keys, path => path.EndsWith("kube-scheduler.service", StringComparison.Ordinal));
        Assert.Contains(Controller.Files.Keys, path => path.EndsWith("service-account.key", StringComparison.Ordinal));
    }

    /// <summary>One controller's files, written once for every recommendation (the service-account key takes a moment to make).</summary>
    public sealed class WrittenController : IDisposable
    {
        private readonly TempRoot _root = new("kubes-cis-cp-");

        public WrittenController() => Controller = Render();

        public RenderedController Controller { get; }

        private RenderedController Render()
        {
            var paths = new AgentPaths(_root.Join("controller-0"));
            var pki = new PkiFiles(paths);
            var steps = ComponentSteps.For(paths);
            var config = ControllerConfigs.Controller("controller-0",
                NodeConfigs.Artifact(ArtifactNames.KubeApiServer, "1.36.3"), NodeConfigs.Artifact(ArtifactNames.KubeControllerManager, "1.36.3"),
                NodeConfigs.Artifact(ArtifactNames.KubeScheduler, "1.36.3"));
            var session = new AgentSession();
            session.Joined("i-1", "kac_test");
            // The key the apiserver component makes first: the rendering of the public keys reads it.
            new ServiceAccountKeyStep(new ServiceAccountKeyFiles(pki)).ApplyAsync(CancellationToken.None).GetAwaiter().GetResult();
            var all = new KubeApiServerComponent(paths, pki, steps, new NoRegistrar(), session, new KubeApiServerHealthCheck(new HttpsHealthProbe())).PlanSteps(config)
                .Concat(new KubeControllerManagerComponent(paths, pki, steps, new ControlPlaneHealthz(new HttpsHealthProbe())).PlanSteps(config))
                .Concat(new KubeSchedulerComponent(paths, pki, steps, new ControlPlaneHealthz(new HttpsHealthProbe())).PlanSteps(config));
            foreach (var step in all.Where(s => s is RenderFileStep or InstallUnitStep))
                step.ApplyAsync(CancellationToken.None).GetAwaiter().GetResult();
            var files = Directory.EnumerateFiles(paths.RootDir, "*", SearchOption.AllDirectories)
                .Where(path => !path.StartsWith(paths.StateDir, StringComparison.Ordinal))
                .ToDictionary(path => path, File.GetUnixFileMode);
            var apiServer = new KubeApiServerLayout(config, paths, pki);
            var scheduler = new KubeSchedulerLayout(config, paths, pki);
            return new RenderedController(
                KubeApiServerUnit.Build(apiServer).ExecStart,
                KubeControllerManagerUnit.Build(new KubeControllerManagerLayout(config, paths, pki)).ExecStart,
                KubeSchedulerUnit.Build(scheduler).ExecStart,
                Yaml(KubeSchedulerConfigFile.Render(scheduler)), Yaml(KubeApiServerConfigFiles.RenderEncryption(apiServer)), files);
        }

        private static YamlMappingNode Yaml(string text)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return (YamlMappingNode)stream.Documents.Single().RootNode;
        }

        public void Dispose() => _root.Dispose();
    }

    private sealed class NoRegistrar : Agent.Channels.IRegistrarChannel
    {
        public Task<JoinResponse> JoinAsync(JoinRequest request, CancellationToken cancellationToken) => throw new InvalidOperationException();

        public Task<CertifyResponse> CertifyAsync(CertifyRequest request, CancellationToken cancellationToken) => throw new InvalidOperationException();

        public Task<ReportResponse> ReportAsync(ReportRequest request, CancellationToken cancellationToken) => throw new InvalidOperationException();
    }

}
