using System.Net;
using Kubes.StandIns.Clients;
using Kubes.StandIns.Configs;
using Kubes.StandIns.Files;
using Kubes.StandIns.Flags;

namespace Kubes.StandIns.Nodes;

/// <summary>
/// The kube-proxy stand-in: checks its flags and its KubeProxyConfiguration strictly, connects to the API server of
/// its clientConnection.kubeconfig (or --kubeconfig), and answers /healthz on healthzBindAddress (0.0.0.0:10256, plain
/// HTTP) once the API server answered it. It writes no rules.
/// </summary>
public static class KubeProxyStandIn
{
    public const string Name = "kube-proxy";

    public static readonly FileFlagRules Files = new()
    {
        Kubeconfigs = ["kubeconfig"],
        Configs = new Dictionary<string, string> { ["config"] = "KubeProxyConfiguration" },
        Outputs = ["log_file"],
        Refused = ["write-config-to"],
    };

    public static async Task RunAsync(CommandLine line, CancellationToken cancellationToken)
    {
        var files = CheckedFiles.Open(line, Files);
        var config = files.Config("config");
        var kubeconfig = StrictConfig.At(config, "clientConnection.kubeconfig") is { Length: > 0 } path
            ? Kubeconfig.Read("config clientConnection.kubeconfig", path)
            : files.Kubeconfig("kubeconfig") ?? throw new StandInException("neither --config's clientConnection.kubeconfig nor --kubeconfig is given");
        var bind = StrictConfig.At(config, "healthzBindAddress") ?? line.Value("healthz-bind-address") ?? "0.0.0.0:10256";
        if (!IPEndPoint.TryParse(bind, out var healthz) || !bind.Contains(':'))
            throw new StandInException($"healthzBindAddress '{bind}' is not an address:port");
        using var connection = new ApiServerConnection(kubeconfig);
        await using var health = await SecureServer.StartHttpAsync("healthzBindAddress", healthz, context => HealthAnswer.WriteAsync(context,
            new Dictionary<string, string?> { ["apiserver-connection"] = connection.Connected ? null : connection.LastProblem }), cancellationToken);
        Log.Info($"/healthz on http://{healthz}");
        await connection.KeepConnectedAsync(cancellationToken);
    }
}
