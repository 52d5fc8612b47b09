using System.ComponentModel;
using System.Diagnostics;

namespace Kubes.Agent.Services;

/// <summary>Runs a host command (systemctl, blkid, mkfs.ext4, mount) and captures what it printed.</summary>
public sealed class CommandRunner
{
    public async Task<CommandResult> RunAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw new CommandFailedException($"{file} could not be started ({e.Message}): is it installed on this host?");
        }

        using (process)
        {
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return new CommandResult(file, arguments, process.ExitCode, await output, await error);
        }
    }

    /// <summary>Like <see cref="RunAsync"/>, but a non-zero exit is an error carrying the command and its output.</summary>
    public async Task<CommandResult> RunCheckedAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await RunAsync(file, arguments, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new CommandFailedException(
                $"'{result.CommandLine}' exited {result.ExitCode}: {(result.StandardError + result.StandardOutput).Trim()}");
        }

        return result;
    }
}

public sealed record CommandResult(string File, IReadOnlyList<string> Arguments, int ExitCode, string StandardOutput, string StandardError)
{
    public string CommandLine => string.Join(' ', [File, .. Arguments]);
}

public sealed class CommandFailedException(string message) : Exception(message);
