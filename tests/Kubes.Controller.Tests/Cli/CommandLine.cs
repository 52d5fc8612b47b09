using Kubes.Controller.Cli;

namespace Kubes.Controller.Tests.Cli;

/// <summary>Runs <c>kubes</c> on an argument line as a shell would split it (no quoting), capturing its output.</summary>
internal static class CommandLine
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    public static async Task<Outcome> RunAsync(string line)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await KubesCli.RunAsync(line.Split(' ', StringSplitOptions.RemoveEmptyEntries), stdout, stderr);
        return new Outcome(code, stdout.ToString(), stderr.ToString());
    }
}
