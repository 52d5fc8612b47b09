using System.CommandLine;
using Kubes.Controller.Operations.Kubeconfig;
using Kubes.Controller.Providers;

namespace Kubes.Controller.Cli.Commands;

/// <summary>
/// <c>kubes kubeconfig [--out FILE]</c>: an admin kubeconfig for the cluster's HA API endpoint, merged into the operator's
/// kubeconfig or written to a file of its own. The work is in <see cref="AdminCredentialIssuer"/> and
/// <see cref="KubeconfigTarget"/>.
/// </summary>
public static class KubeconfigCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var (file, local) = (CommonOptions.File(), CommonOptions.Local());
        var output = new Option<string>("--out")
        {
            Description = "Write a kubeconfig of its own to FILE (replaced if there) instead of merging into $KUBECONFIG's first "
                          + "file or ~/.kube/config",
            HelpName = "FILE",
        };
        var command = new Command("kubeconfig",
            "Make an admin kubeconfig: a key made here, a short-lived admin certificate of the cluster's CA "
            + "(spec.pki.adminCertificateLifetime, 18h by default), the cluster's HA API endpoint and CA. It is merged into the "
            + "first file of $KUBECONFIG (or ~/.kube/config) under a context named after the cluster, which becomes the current "
            + "one; other clusters, users and contexts stay as they are. Run it again for a new certificate.")
        {
            file, local, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var spec = await SpecFile.ResolveAsync(parse, file, local, stderr);
            if (spec is null) return ExitCodes.BadInput;
            try
            {
                var target = KubeconfigTarget.Resolve(parse.GetValue(output), Environment.GetEnvironmentVariable("KUBECONFIG"),
                    Environment.GetEnvironmentVariable("HOME"));
                using var session = await ClusterProviders.OpenAsync(spec, null, cancellationToken);
                var credentials = await new AdminCredentialIssuer(session).IssueAsync(cancellationToken);
                target.Write(credentials);
                await stdout.WriteLineAsync(
                    $"Wrote context {credentials.ContextName} (user {credentials.UserName}, server {credentials.Server.ToString().TrimEnd('/')}, "
                    + $"certificate valid until {credentials.NotAfter:u}) to {target.Path}"
                    + (target.Standalone ? $"; use it with 'kubectl --kubeconfig {target.Path}'." : "; it is the current context."));
                return ExitCodes.Ok;
            }
            catch (KubeconfigFormatException e)
            {
                await stderr.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.BadInput;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return await CommandErrors.ReportAsync(e, stderr);
            }
        });
        return command;
    }
}
