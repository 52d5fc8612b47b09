using System.Diagnostics;

namespace Kubes.Controller.Local.Namespaces;

/// <summary>
/// One of this machine's network tools (ip, ebtables), run to completion with stdin closed and its output captured; a
/// failure names the command and what it said.
/// </summary>
/// <param name="package">The Debian package that installs <paramref name="program"/>, for the errors.</param>
internal sealed class HostCommand(string program, string package)
{
    public async Task<string> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var (exitCode, output, error) = await ExecuteAsync(arguments, cancellationToken);
        if (exitCode != 0)
            throw new LocalProviderException(
                $"'{program} {string.Join(' ', arguments)}' failed with {exitCode}: {error.Trim()}. Instances in network namespaces " +
                $"need {package} and root (CAP_NET_ADMIN).");
        return output;
    }

    /// <summary>For clean-up and probes: whether the command succeeded.</summary>
    public async Task<bool> TryRunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        (await ExecuteAsync(arguments, cancellationToken)).ExitCode == 0;

    /// <summary>For probes of what may not exist: the output, or null when the command failed.</summary>
    public async Task<string?> TryReadAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var (exitCode, output, _) = await ExecuteAsync(arguments, cancellationToken);
        return exitCode == 0 ? output : null;
    }

    private async Task<(int ExitCode, string Output, string Error)> ExecuteAsync(IReadOnlyList<string> arguments,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Start(start);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, await error);
    }

    private Process Start(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new LocalProviderException($"{program} ({package}) could not be started.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new LocalProviderException($"{program} ({package}) could not be started ({e.Message}): install it (apt-get install {package}).", e);
        }
    }
}
