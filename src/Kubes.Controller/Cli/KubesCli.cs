using System.CommandLine;
using Kubes.Controller.Cli.Commands;

namespace Kubes.Controller.Cli;

/// <summary>Builds the <c>kubes</c> command line; each verb lives in its own file under Commands/.</summary>
public static class KubesCli
{
    public static RootCommand Build(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("kubes: a highly available Kubernetes cluster on AWS whose machines configure themselves.");
        root.Subcommands.Add(Commands.InitCommand.Create(stdout, stderr));
        root.Subcommands.Add(Commands.ValidateCommand.Create(stdout, stderr));
        root.Subcommands.Add(Commands.PlanCommand.Create(stdout, stderr));
        root.Subcommands.Add(Commands.PkiCommand.Create(stdout, stderr));
        root.Subcommands.Add(UpCommand.Create(stdout, stderr));
        root.Subcommands.Add(StatusCommand.Create(stdout, stderr));
        root.Subcommands.Add(DestroyCommand.Create(stdout, stderr));
        root.Subcommands.Add(ServeCommand.Create(stdout, stderr));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        var root = Build(stdout, stderr);
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors) await stderr.WriteLineAsync($"error: {error.Message}");
            await stderr.WriteLineAsync("Run 'kubes --help' for usage.");
            return ExitCodes.BadInput;
        }
        return await result.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
