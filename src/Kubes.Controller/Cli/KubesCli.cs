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
        root.Subcommands.Add(CertsCommand.Create(stdout, stderr));
        root.Subcommands.Add(DestroyCommand.Create(stdout, stderr));
        root.Subcommands.Add(ServeCommand.Create(stdout, stderr));
        root.Subcommands.Add(ArtifactsCommand.Create(stdout, stderr));
        root.Subcommands.Add(KubeconfigCommand.Create(stdout, stderr));
        root.Subcommands.Add(VpnCommand.Create(stdout, stderr));
        root.Subcommands.Add(EncryptionKeyCommand.Create(stdout, stderr));
        root.Subcommands.Add(SshCommand.Create(stderr));
        root.Subcommands.Add(SshConfigCommand.Create(stdout, stderr));
        return root;
    }

    /// <summary>Set to 1 to see the stack trace of a failure Kubes did not expect.</summary>
    public const string VerboseVariable = "KUBES_VERBOSE";

    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        return await InvokeAsync(Build(stdout, stderr), args, stdout, stderr, Environment.GetEnvironmentVariable);
    }

    /// <summary>
    /// Parses and runs one command line. Whatever a command throws ends as one <c>error: ...</c> line and a
    /// non-zero exit code, never a stack trace, unless <see cref="VerboseVariable"/> asks for it.
    /// </summary>
    public static async Task<int> InvokeAsync(RootCommand root, string[] args, TextWriter stdout, TextWriter stderr,
        Func<string, string?> environment)
    {
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors) await stderr.WriteLineAsync($"error: {error.Message}");
            await stderr.WriteLineAsync("Run 'kubes --help' for usage.");
            return ExitCodes.BadInput;
        }
        try
        {
            return await result.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (Exception e)
        {
            var report = Commands.CommandErrors.Describe(e);
            var verbose = environment(VerboseVariable) is "1" or "true";
            if (verbose) await stderr.WriteLineAsync(e.ToString());
            await stderr.WriteLineAsync(report.Known || verbose
                ? report.Line
                : $"{report.Line} ({e.GetType().Name}; set {VerboseVariable}=1 to see where it happened)");
            return report.ExitCode;
        }
    }
}
