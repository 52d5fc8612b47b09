using System.CommandLine;
using Kubes.Controller.Operations.Ssh;
using Kubes.Controller.Providers;

namespace Kubes.Controller.Cli.Commands;

/// <summary><c>kubes ssh HOST [-- COMMAND]</c>: an SSH session through the bastion with a key and certificate made for it (<see cref="SshAccess"/>).</summary>
public static class SshCommand
{
    public static Command Create(TextWriter stderr)
    {
        var (file, local) = (CommonOptions.File(), CommonOptions.Local());
        var host = new Argument<string>("host") { Description = "The instance: a slot (etcd-0, bastion-0) or a group node's instance id" };
        var remote = new Argument<string[]>("command")
        {
            Description = "A command to run there instead of a shell (after --)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("ssh",
            "Log in to an instance through the bastion: a key made for this session, a short-lived certificate of the cluster's SSH "
            + "user CA, and only hosts certified by its host CA accepted.") { host, remote, file, local };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var spec = await SpecFile.ResolveAsync(parse, file, local, stderr);
            if (spec is null) return ExitCodes.BadInput;
            try
            {
                using var session = await ClusterProviders.OpenAsync(spec, null, cancellationToken);
                return await new SshAccess(session).RunAsync(parse.GetRequiredValue(host), parse.GetValue(remote) ?? [], cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return await CommandErrors.ReportAsync(e, stderr);
            }
        });
        return command;
    }
}
