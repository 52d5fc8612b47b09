using Kubes.Agent.Processes;
using Kubes.Agent.Services;

namespace Kubes.Agent.Tests.Processes;

public sealed class CommandRunnerTests
{
    private readonly CommandRunner _commands = new();

    [Fact]
    public async Task Output_error_and_exit_code_come_back()
    {
        var result = await _commands.RunAsync("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"], CancellationToken.None);

        Assert.Equal((3, "out\n", "err\n"), (result.ExitCode, result.StandardOutput, result.StandardError));
        Assert.Equal("/bin/sh -c echo out; echo err >&2; exit 3", result.CommandLine);
    }

    [Fact]
    public async Task Arguments_reach_the_program_as_words_and_variables_are_added_to_the_agents()
    {
        var result = await _commands.RunAsync("/bin/sh", ["-c", "printf '%s|' \"$1\" \"$EXTRA\" \"$PATH\"", "sh", "a b 'c' $HOME"],
            new Dictionary<string, string> { ["EXTRA"] = "x=y" }, CancellationToken.None);

        Assert.Equal($"a b 'c' $HOME|x=y|{Environment.GetEnvironmentVariable("PATH")}|", result.StandardOutput);
    }

    [Fact]
    public async Task Stdin_is_empty_so_a_command_that_reads_it_does_not_hang()
    {
        var result = await _commands.RunAsync("/bin/cat", [], CancellationToken.None);

        Assert.Equal((0, ""), (result.ExitCode, result.StandardOutput));
    }

    [Fact]
    public async Task A_checked_command_that_fails_says_what_it_was_and_what_it_printed()
    {
        var error = await Assert.ThrowsAsync<CommandFailedException>(() =>
            _commands.RunCheckedAsync("/bin/sh", ["-c", "echo 'no such device' >&2; exit 32"], CancellationToken.None));

        Assert.Equal("'/bin/sh -c echo 'no such device' >&2; exit 32' exited 32: no such device", error.Message);
    }

    [Fact]
    public async Task A_program_that_is_not_there_is_named_with_the_likely_cause()
    {
        var error = await Assert.ThrowsAsync<CommandFailedException>(() =>
            _commands.RunAsync("kubes-no-such-program", ["--version"], CancellationToken.None));

        Assert.Contains("kubes-no-such-program could not be started", error.Message);
        Assert.Contains("is it installed on this host?", error.Message);
    }

    [Fact]
    public async Task Giving_up_kills_the_command()
    {
        using var cancel = new CancellationTokenSource();
        var marker = $"{Random.Shared.Next(100_000, 999_999)}";
        var run = _commands.RunAsync("/bin/sleep", [marker], cancel.Token);
        int? pid = null;
        for (var i = 0; i < 100 && pid is null; i++)
        {
            await Task.Delay(50);
            pid = Directory.EnumerateDirectories("/proc").Select(Path.GetFileName)
                .Select(name => int.TryParse(name, out var p) ? p : 0)
                .FirstOrDefault(p => p > 0 && Posix.CommandLine(p) is ["/bin/sleep", var argument] && argument == marker);
            pid = pid == 0 ? null : pid;
        }

        Assert.NotNull(pid);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        for (var i = 0; i < 100 && Posix.IsAlive(pid.Value); i++)
        {
            await Task.Delay(50);
        }

        Assert.False(Posix.IsAlive(pid.Value));
    }
}
