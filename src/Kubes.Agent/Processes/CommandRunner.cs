using System.ComponentModel;
using CliWrap;
using CliWrap.Buffered;

namespace Kubes.Agent.Processes;

/// <summary>
/// The one way the agent runs a short host command (systemctl, blkid, mkfs.ext4, mount, a unit's ExecStartPre): through
/// CliWrap, stdin empty, output captured, the process killed when the caller gives up. The long-running services are
/// the supervisor's (<see cref="Services.SupervisedService"/>), the only other place the agent starts a process.
/// </summary>
public sealed class CommandRunner
{
    public Task<CommandResult> RunAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(file, arguments, environment: null, cancellationToken);

    /// <param name="environment">Variables added to the agent's own environment for this command.</param>
    public async Task<CommandResult> RunAsync(string file, IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var command = Cli.Wrap(file)
            .WithArguments(arguments)
            .WithValidation(CommandResultValidation.None);
        if (environment is { Count: > 0 })
        {
            command = command.WithEnvironmentVariables(environment.ToDictionary(pair => pair.Key, string? (pair) => pair.Value));
        }

        try
        {
            var result = await command.ExecuteBufferedAsync(cancellationToken);
            return new CommandResult(file, arguments, result.ExitCode, result.StandardOutput, result.StandardError);
        }
        catch (Win32Exception e)
        {
            throw new CommandFailedException($"{file} could not be started ({e.Message}): is it installed on this host?");
        }
    }

    /// <summary>Like <see cref="RunAsync(string, IReadOnlyList{string}, CancellationToken)"/>, but a non-zero exit is an error carrying the command and its output.</summary>
    public Task<CommandResult> RunCheckedAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunCheckedAsync(file, arguments, environment: null, cancellationToken);

    public async Task<CommandResult> RunCheckedAsync(string file, IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var result = await RunAsync(file, arguments, environment, cancellationToken);
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
