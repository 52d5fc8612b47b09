using System.Diagnostics;

namespace Kubes.Controller.Local.Namespaces;

/// <summary>iproute2's <c>ip</c>, run to completion; a failure names the command and what ip said.</summary>
internal static class IpCommand
{
    public static async Task<string> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var (exitCode, output, error) = await ExecuteAsync(arguments, cancellationToken);
        if (exitCode != 0)
            throw new LocalProviderException(
                $"'ip {string.Join(' ', arguments)}' failed with {exitCode}: {error.Trim()}. Instances in network namespaces " +
                "need iproute2 and root (CAP_NET_ADMIN).");
        return output;
    }

    /// <summary>For clean-up and probes: whether the command succeeded.</summary>
    public static async Task<bool> TryRunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        (await ExecuteAsync(arguments, cancellationToken)).ExitCode == 0;

    /// <summary>For probes of what may not exist: the output, or null when the command failed.</summary>
    public static async Task<string?> TryReadAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var (exitCode, output, _) = await ExecuteAsync(arguments, cancellationToken);
        return exitCode == 0 ? output : null;
    }

    private static async Task<(int ExitCode, string Output, string Error)> ExecuteAsync(IReadOnlyList<string> arguments,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("ip")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var ip = Start(start);
        ip.StandardInput.Close();
        var output = ip.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = ip.StandardError.ReadToEndAsync(cancellationToken);
        await ip.WaitForExitAsync(cancellationToken);
        return (ip.ExitCode, await output, await error);
    }

    private static Process Start(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new LocalProviderException("ip (iproute2) could not be started.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new LocalProviderException($"ip (iproute2) could not be started ({e.Message}): install it (apt-get install iproute2).", e);
        }
    }
}
