using System.Diagnostics;
using Kubes.Agent.Tests.Support;

namespace Kubes.Agent.Tests;

/// <summary>
/// The real kubes-agent with its standard output appended to a file, as the bootstrap's restart loop runs it where
/// systemd is not PID 1: the agent bounds that file itself.
/// </summary>
public sealed class AgentLogTests : IDisposable
{
    private readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task An_output_file_at_its_size_limit_is_rolled_over_not_grown()
    {
        var log = _root.Join("kubes-agent.log");
        var full = new byte[AgentLog.FileSizeLimitBytes];
        Array.Fill(full, (byte)'x');
        await File.WriteAllBytesAsync(log, full);

        var (exit, output) = await RunAgentAppendingToAsync(log);

        Assert.Equal(2, exit); // the missing config: one fatal line, then exit 2
        Assert.Equal("", output);
        Assert.Equal(AgentLog.FileSizeLimitBytes, new FileInfo(log).Length);
        Assert.Contains("cannot start", await File.ReadAllTextAsync(_root.Join("kubes-agent_001.log")));
    }

    [Fact]
    public async Task Only_the_newest_files_are_kept()
    {
        var log = _root.Join("kubes-agent.log");
        for (var i = 0; i <= AgentLog.RetainedFiles + 2; i++)
        {
            await File.WriteAllBytesAsync(i == 0 ? log : _root.Join($"kubes-agent_{i:000}.log"), new byte[AgentLog.FileSizeLimitBytes]);
        }

        await RunAgentAppendingToAsync(log);

        Assert.Equal(AgentLog.RetainedFiles, Directory.GetFiles(_root.Path, "kubes-agent*.log").Length);
    }

    [Fact]
    public async Task A_pipe_gets_the_log_as_before()
    {
        var start = AgentStart();
        start.RedirectStandardOutput = true;
        using var agent = Process.Start(start)!;
        var output = await agent.StandardOutput.ReadToEndAsync();
        await agent.WaitForExitAsync();

        Assert.Contains("cannot start", output);
    }

    private async Task<(int Exit, string Output)> RunAgentAppendingToAsync(string log)
    {
        // As bootstrap.sh does: the agent's standard output and error appended to the log file.
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true };
        foreach (var argument in (string[])["-c", "\"$@\" >>\"$LOG\" 2>&1", "bash", .. Command()]) start.ArgumentList.Add(argument);
        start.Environment["LOG"] = log;
        using var agent = Process.Start(start)!;
        var output = await agent.StandardOutput.ReadToEndAsync();
        await agent.WaitForExitAsync();
        return (agent.ExitCode, output);
    }

    private ProcessStartInfo AgentStart()
    {
        var start = new ProcessStartInfo(Command()[0]);
        foreach (var argument in Command()[1..]) start.ArgumentList.Add(argument);
        return start;
    }

    private string[] Command() => [Path.Join(AppContext.BaseDirectory, "agent", "kubes-agent"), "--config", _root.Join("absent.json")];
}
