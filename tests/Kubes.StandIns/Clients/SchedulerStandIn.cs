using Kubes.StandIns.Configs;
using Kubes.StandIns.Files;
using Kubes.StandIns.Flags;
using YamlDotNet.RepresentationModel;

namespace Kubes.StandIns.Clients;

/// <summary>
/// The kube-scheduler stand-in: every file checked, the KubeSchedulerConfiguration of --config strictly, then
/// <see cref="ClientComponentStandIn"/> on 10259 with the kubeconfig its clientConnection names (or the deprecated
/// --kubeconfig when there is no --config).
/// </summary>
public static class SchedulerStandIn
{
    public const string Name = "kube-scheduler";

    public static readonly FileFlagRules Files = new()
    {
        Pairs = [new("tls-cert-file", "tls-private-key-file", Pem.ServerAuth)],
        CaBundles = ["client-ca-file", "requestheader-client-ca-file"],
        Kubeconfigs = ["kubeconfig", "authentication-kubeconfig", "authorization-kubeconfig"],
        Configs = new Dictionary<string, string> { ["config"] = "KubeSchedulerConfiguration" },
        Directories = ["cert-dir"],
        Refused = ["allow-metric-labels-manifest", "tls-sni-cert-key", "write-config-to"],
    };

    public static Task RunAsync(CommandLine line, CancellationToken cancellationToken)
    {
        var files = CheckedFiles.Open(line, Files);
        return ClientComponentStandIn.RunAsync(Name, 10259, line, files, KubeconfigOf(line, files), cancellationToken);
    }

    private static Kubeconfig KubeconfigOf(CommandLine line, CheckedFiles files)
    {
        if (files.Config("config") is { } config)
        {
            var path = config.Children.TryGetValue(new YamlScalarNode("clientConnection"), out var node) && node is YamlMappingNode connection
                ? StrictConfig.Scalar(connection, "kubeconfig")
                : null;
            if (path is not { Length: > 0 })
                throw new StandInException($"--config {line.Value("config")}: clientConnection.kubeconfig is not set; the scheduler would not reach the API server");
            return Kubeconfig.Read("config clientConnection.kubeconfig", path);
        }

        return files.Kubeconfig("kubeconfig")
            ?? throw new StandInException("neither --config nor --kubeconfig is given: kube-scheduler would not know its API server");
    }
}
