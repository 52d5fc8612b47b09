using System.Diagnostics;
using Kubes.Agent.Artifacts;
using Kubes.Agent.Components;
using Kubes.Agent.Components.KubeProxy;
using Kubes.Agent.Components.Kubelet;
using Kubes.Agent.Configuration;
using Kubes.Agent.Pki;
using Kubes.Agent.Probes;
using Kubes.Agent.Processes;
using Kubes.Agent.Services;
using Kubes.Agent.Steps;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging.Abstractions;
using YamlDotNet.RepresentationModel;

namespace Kubes.Agent.Tests.Components;

/// <summary>
/// The CIS Kubernetes Benchmark's automated worker-node recommendations (section 4: the worker node's configuration
/// files, the kubelet, kube-proxy) checked against what the agent renders and writes for a node: the kubelet's
/// configuration and command line, kube-proxy's configuration, and the mode and owner of every file the benchmark
/// names, written for real under a root folder of the test. Recommendations Kubes does not follow are the exceptions
/// below, each with its reason, and docs/nodes.md lists the same ones.
/// </summary>
public sealed class CisNodeBenchmarkTests : IAsyncLifetime
{
    /// <summary>What the benchmark looks at on one node.</summary>
    public sealed record RenderedNode(
        YamlMappingNode Kubelet, IReadOnlyList<string> KubeletCommandLine, YamlMappingNode KubeProxy,
        IReadOnlyDictionary<string, (UnixFileMode Mode, string Owner)> Files, string KubeletUnitFile, string ProxyUnitFile,
        string KubeletKubeconfig, string ProxyKubeconfig, string ClientCaFile, string KubeletConfigFile);

    public sealed record Recommendation(string Section, string Text, Func<RenderedNode, bool> Holds)
    {
        public override string ToString() => $"{Section} {Text}";
    }

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

    private static bool Flag(RenderedNode node, string name) => node.KubeletCommandLine.Any(a => a == $"--{name}" || a.StartsWith($"--{name}=", StringComparison.Ordinal));

    private static bool OwnerOnly(RenderedNode node, string path) =>
        node.Files.TryGetValue(path, out var file) && (file.Mode & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite)) == 0;

    private static bool RootOwned(RenderedNode node, string path) => node.Files.TryGetValue(path, out var file) && file.Owner == "0:0";

    public static readonly IReadOnlyList<Recommendation> Automated =
    [
        new("4.1", "kubelet service file permissions are 600 or more restrictive", n => OwnerOnly(n, n.KubeletUnitFile)),
        new("4.1", "kubelet service file ownership is root:root", n => RootOwned(n, n.KubeletUnitFile)),
        new("4.1", "proxy kubeconfig file permissions are 600 or more restrictive", n => OwnerOnly(n, n.ProxyKubeconfig)),
        new("4.1", "proxy kubeconfig file ownership is root:root", n => RootOwned(n, n.ProxyKubeconfig)),
        new("4.1", "--kubeconfig kubelet.conf file permissions are 600 or more restrictive", n => OwnerOnly(n, n.KubeletKubeconfig)),
        new("4.1", "--kubeconfig kubelet.conf file ownership is root:root", n => RootOwned(n, n.KubeletKubeconfig)),
        new("4.1", "certificate authorities file permissions are 600 or more restrictive", n => OwnerOnly(n, n.ClientCaFile)),
        new("4.1", "client certificate authorities file ownership is root:root", n => RootOwned(n, n.ClientCaFile)),
        new("4.1", "kubelet --config configuration file has permissions 600 or more restrictive", n => OwnerOnly(n, n.KubeletConfigFile)),
        new("4.1", "kubelet --config configuration file ownership is root:root", n => RootOwned(n, n.KubeletConfigFile)),
        new("4.2", "--anonymous-auth is false", n => Scalar(n.Kubelet, "authentication", "anonymous", "enabled") == "false"),
        new("4.2", "--authorization-mode is not AlwaysAllow", n => Scalar(n.Kubelet, "authorization", "mode") is { Length: > 0 } mode && mode != "AlwaysAllow"),
        new("4.2", "--client-ca-file is set as appropriate", n => Scalar(n.Kubelet, "authentication", "x509", "clientCAFile") == n.ClientCaFile),
        new("4.2", "--read-only-port is 0", n => Scalar(n.Kubelet, "readOnlyPort") == "0"),
        new("4.2", "--streaming-connection-idle-timeout is not 0", n => Scalar(n.Kubelet, "streamingConnectionIdleTimeout") is { Length: > 0 } t && t is not ("0" or "0s")),
        new("4.2", "--protect-kernel-defaults is true", n => Scalar(n.Kubelet, "protectKernelDefaults") == "true"),
        new("4.2", "--make-iptables-util-chains is true", n => Scalar(n.Kubelet, "makeIPTablesUtilChains") == "true"),
        new("4.2", "--tls-cert-file and --tls-private-key-file are set as appropriate",
            n => Scalar(n.Kubelet, "tlsCertFile").EndsWith("kubelet-serving.crt") && Scalar(n.Kubelet, "tlsPrivateKeyFile").EndsWith("kubelet-serving.key")),
        new("4.2", "--rotate-certificates is not false", n => Scalar(n.Kubelet, "rotateCertificates") != "false"),
        new("4.2", "the kubelet only makes use of strong cryptographic ciphers",
            n => n.Kubelet.Children.TryGetValue(new YamlScalarNode("tlsCipherSuites"), out var suites) && suites is YamlSequenceNode list
                 && list.Children.Count > 0 && list.Children.All(c => StrongTls.CipherSuites.Contains(((YamlScalarNode)c).Value))),
        new("4.2", "--event-qps is set to a level which ensures appropriate event capture", n => int.TryParse(Scalar(n.Kubelet, "eventRecordQPS"), out var qps) && qps > 0),
        new("4.2", "a limit is set on pod PIDs", n => long.TryParse(Scalar(n.Kubelet, "podPidsLimit"), out var limit) && limit > 0),
        new("4.2", "--hostname-override is not set", n => !Flag(n, "hostname-override")),
        new("4.3", "the kube-proxy metrics service is bound to localhost", n => Scalar(n.KubeProxy, "metricsBindAddress").StartsWith("127.0.0.1:")),
    ];

    /// <summary>What Kubes does not follow, and why (docs/nodes.md, "CIS Benchmark exceptions", says the same).</summary>
    public static readonly IReadOnlyDictionary<string, string> Exceptions = new Dictionary<string, string>
    {
        ["--rotate-certificates is not false"] =
            "the agent renews the kubelet's client and serving certificates itself, from keys made on the node, and restarts the kubelet",
        ["--hostname-override is not set"] =
            "a Node is named by its slot or its verified instance id, not by the host name (which a local instance shares with this machine)",
    };

    /// <summary>Followed on AWS, where the agent owns the host; not on the local provider, whose instances share this machine's kernel.</summary>
    public static readonly IReadOnlyDictionary<string, string> LocalExceptions = new Dictionary<string, string>
    {
        ["--protect-kernel-defaults is true"] = "a local instance shares this machine's kernel, whose values are not its to set",
    };

    private readonly TempRoot _root = new("kubes-cis-");
    private readonly TestCertificateAuthority _ca = new("kubernetes CA");
    private RenderedNode _aws = null!;
    private RenderedNode _local = null!;

    public async Task InitializeAsync()
    {
        // The files the benchmark stats are written for real (under a root of the test); the configuration of an AWS
        // node is rendered for "/" and read, never written there.
        _local = await RenderAsync(new AgentPaths(_root.Join("node-0")), NodeConfigs.Node("node-0", Artifacts()), write: true);
        _aws = await RenderAsync(new AgentPaths("/"), NodeConfigs.AwsGroupNode(Artifacts()), write: false, filesFrom: _local);
    }

    public Task DisposeAsync()
    {
        _ca.Dispose();
        _root.Dispose();
        return Task.CompletedTask;
    }

    private static Artifact[] Artifacts() =>
    [
        NodeConfigs.Artifact(ArtifactNames.Kubelet, "1.36.3"), NodeConfigs.Artifact(ArtifactNames.KubeProxy, "1.36.3"),
    ];

    private async Task<RenderedNode> RenderAsync(AgentPaths paths, RoleConfig config, bool write, RenderedNode? filesFrom = null)
    {
        var pki = new PkiFiles(paths);
        await using var services = new ProcessServiceManager(paths, new CommandRunner(), NullLogger<ProcessServiceManager>.Instance);
        var steps = new StepFactory(paths, new ArtifactFetcher(new HttpClient(), NullLogger<ArtifactFetcher>.Instance), services,
            new CommandRunner(), DataVolumeTiming.Default, NullLoggerFactory.Instance);
        var kubelet = new KubeletComponent(paths, pki, steps, new KubeletHealthCheck(new HttpHealthProbe())).PlanSteps(config);
        var proxy = new KubeProxyComponent(paths, pki, steps, new KubeProxyHealthCheck(new HttpHealthProbe())).PlanSteps(config);
        var kubeletLayout = new KubeletLayout(config, paths, pki);
        var proxyLayout = new KubeProxyLayout(config, paths, pki);
        var files = new Dictionary<string, (UnixFileMode, string)>();
        if (write)
        {
            // The agent's own enrollment writes the certificates; the components' steps write their files and units.
            var registrar = new TestRegistrar(_ca, "t", _ => config.Clone());
            var joined = await registrar.Join(new JoinRequest { Identity = new InstanceIdentity { InstanceId = config.Name, JoinToken = "t" } });
            await new CertificateEnrollment(new KeyStore(pki), pki, TimeProvider.System,
                NullLogger<CertificateEnrollment>.Instance).EnrollAsync(config, config.Name, joined.AgentCredential, registrar.AsChannel(), CancellationToken.None);
            foreach (var step in kubelet.Concat(proxy).Where(s => s is RenderFileStep or InstallUnitStep))
                await step.ApplyAsync(CancellationToken.None);
            foreach (var path in Directory.EnumerateFiles(paths.RootDir, "*", SearchOption.AllDirectories))
                files[path] = (File.GetUnixFileMode(path), await OwnerAsync(path));
        }
        else
        {
            // Same steps, same modes: take those of the written node, at this node's paths.
            foreach (var (path, file) in filesFrom!.Files)
                files["/" + Path.GetRelativePath(_root.Join("node-0"), path)] = file;
        }

        return new RenderedNode(
            Yaml(KubeletConfigFile.Render(kubeletLayout)), KubeletUnit.Build(kubeletLayout).ExecStart, Yaml(KubeProxyConfigFile.Render(proxyLayout)),
            files, Path.Join(paths.UnitDir, "kubelet.service"), Path.Join(paths.UnitDir, "kube-proxy.service"),
            kubeletLayout.KubeconfigFile, proxyLayout.KubeconfigFile, kubeletLayout.ClientCaFile, kubeletLayout.ConfigFile);
    }

    private static YamlMappingNode Yaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static async Task<string> OwnerAsync(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%u:%g", path]) { RedirectStandardOutput = true })!;
        var owner = (await stat.StandardOutput.ReadToEndAsync()).Trim();
        await stat.WaitForExitAsync();
        return owner;
    }

    public static TheoryData<string> Recommendations() => [.. Automated.Select(r => r.Text)];

    [Theory]
    [MemberData(nameof(Recommendations))]
    public void An_aws_node_follows_each_automated_recommendation_but_the_listed_exceptions(string text)
    {
        var recommendation = Automated.Single(r => r.Text == text);

        Assert.Equal(!Exceptions.ContainsKey(text), recommendation.Holds(_aws));
    }

    [Theory]
    [MemberData(nameof(Recommendations))]
    public void A_local_node_follows_them_too_but_where_it_shares_this_machines_kernel(string text)
    {
        var recommendation = Automated.Single(r => r.Text == text);

        Assert.Equal(!Exceptions.ContainsKey(text) && !LocalExceptions.ContainsKey(text), recommendation.Holds(_local));
    }

    [Fact]
    public void Every_exception_is_explained_in_the_nodes_documentation()
    {
        var docs = File.ReadAllText(Path.Join(RepositoryRoot(), "docs", "nodes.md"));

        Assert.All(Exceptions.Keys.Concat(LocalExceptions.Keys), text => Assert.Contains(text, docs));
    }

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.GetFullPath(Path.Join(Path.GetDirectoryName(file)!, "..", "..", ".."));
}
