using System.CommandLine;
using Kubes.Controller.Operations.Ssh;
using Kubes.Controller.Providers;

namespace Kubes.Controller.Cli.Commands;

/// <summary><c>kubes ssh-config [--remove]</c>: the cluster's block in the operator's ssh config (<see cref="OperatorSshConfig"/>).</summary>
public static class SshConfigCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var (file, local) = (CommonOptions.File(), CommonOptions.Local());
        var remove = new Option<bool>("--remove") { Description = "Remove the cluster's block and its key folder instead" };
        var config = new Option<string>("--config")
        {
            Description = "The ssh config file [default: ~/.ssh/config]",
            HelpName = "FILE",
        };
        var command = new Command("ssh-config",
            "Write one block to your ssh config: a Host per instance, through the bastion, trusting only the cluster's SSH host CA, "
            + "with a key and a certificate valid for the spec's user-certificate lifetime (run it again for a new one).")
        {
            file, local, remove, config,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var spec = await SpecFile.ResolveAsync(parse, file, local, stderr);
            if (spec is null) return ExitCodes.BadInput;
            var path = Path.GetFullPath(parse.GetValue(config)
                                        ?? Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh", "config"));
            try
            {
                using var session = await ClusterProviders.OpenAsync(spec, null, cancellationToken);
                var ssh = new OperatorSshConfig(session);
                if (parse.GetValue(remove))
                {
                    var removed = await ssh.RemoveAsync(path, cancellationToken);
                    await stdout.WriteLineAsync(removed
                        ? $"Removed cluster {spec.Name}'s block from {path} and its keys from {ssh.FolderFor(path)}."
                        : $"{path} has no block of cluster {spec.Name}: nothing to remove.");
                    return ExitCodes.Ok;
                }
                var written = await ssh.WriteAsync(path, cancellationToken);
                await stdout.WriteLineAsync(
                    $"Wrote cluster {spec.Name}'s block to {path}, valid until {written.ValidUntil:u} (run 'kubes ssh-config' again then):");
                foreach (var alias in written.Aliases) await stdout.WriteLineAsync($"  ssh {alias}");
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return await CommandErrors.ReportAsync(e, stderr);
            }
        });
        return command;
    }
}
