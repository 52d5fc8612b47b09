using System.Net;
using Kubes.StandIns.Configs;
using Kubes.StandIns.Files;
using Kubes.StandIns.Flags;
using Microsoft.AspNetCore.Http;

namespace Kubes.StandIns.Clients;

/// <summary>
/// What the kube-controller-manager and kube-scheduler stand-ins share once their files are checked: they connect to
/// the API server of their kubeconfig (<see cref="ApiServerConnection"/>) and serve /healthz (and /livez, /readyz) on
/// --bind-address:--secure-port over HTTPS, with --tls-cert-file or a certificate of their own. /healthz is ok once the
/// API server answered them. A --secure-port of 0 serves nothing, as with the real ones.
/// </summary>
public static class ClientComponentStandIn
{
    public static async Task RunAsync(string component, int defaultPort, CommandLine line, CheckedFiles files, Kubeconfig kubeconfig,
        CancellationToken cancellationToken)
    {
        var bindAddress = line.Value("bind-address") ?? "0.0.0.0";
        var port = line.Int("secure-port", defaultPort);
        if (port is < 0 or > 65535) throw new StandInException($"--secure-port {port}: must be 0 (off) or a port up to 65535");
        using var connection = new ApiServerConnection(kubeconfig);
        Microsoft.AspNetCore.Builder.WebApplication? server = null;
        if (port > 0)
        {
            var serving = files.Certificate("tls-cert-file") ?? SelfSignedCertificate.For(component, IPAddress.Parse(bindAddress));
            server = await SecureServer.StartAsync(bindAddress, port, serving, files.Chain("tls-cert-file") ?? [serving],
                TlsSettings.From(line), context => AnswerAsync(context, connection), cancellationToken);
            Log.Info($"serving /healthz on https://{bindAddress}:{port}");
        }

        try
        {
            await connection.KeepConnectedAsync(cancellationToken);
        }
        finally
        {
            if (server is not null) await server.DisposeAsync();
        }
    }

    private static Task AnswerAsync(HttpContext context, ApiServerConnection connection) =>
        Nodes.HealthAnswer.WriteAsync(context, new Dictionary<string, string?> { ["apiserver-connection"] = connection.Connected ? null : connection.LastProblem });
}
