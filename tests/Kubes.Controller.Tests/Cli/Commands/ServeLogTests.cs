using Kubes.Controller.Cli.Commands;
using Kubes.Controller.Tests.State;
using Microsoft.Extensions.Logging;

namespace Kubes.Controller.Tests.Cli.Commands;

/// <summary>The log of <c>kubes serve --log-file</c>: bounded, rolled over, and without gRPC's per-call noise.</summary>
public sealed class ServeLogTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string Log => Path.Join(_folder.Path, "serve.log");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_log_at_its_size_limit_rolls_over_to_the_next_file()
    {
        File.WriteAllBytes(Log, new byte[ServeLog.FileSizeLimitBytes]);

        using (var loggers = ServeLog.Create(Log)) loggers.CreateLogger("Kubes").LogWarning("after the limit");

        Assert.Equal(ServeLog.FileSizeLimitBytes, new FileInfo(Log).Length);
        Assert.Contains("after the limit", File.ReadAllText(Path.Join(_folder.Path, "serve_001.log")));
    }

    [Fact]
    public void Only_the_newest_files_are_kept()
    {
        File.WriteAllBytes(Log, new byte[ServeLog.FileSizeLimitBytes]);
        for (var i = 1; i <= ServeLog.RetainedFiles + 2; i++)
            File.WriteAllBytes(Path.Join(_folder.Path, $"serve_{i:000}.log"), new byte[ServeLog.FileSizeLimitBytes]);

        using (var loggers = ServeLog.Create(Log)) loggers.CreateLogger("Kubes").LogWarning("newest");

        Assert.Equal(ServeLog.RetainedFiles, Directory.GetFiles(_folder.Path, "serve*.log").Length);
    }

    [Fact]
    public void gRPCs_own_lines_below_warnings_are_left_out_and_ours_kept()
    {
        using (var loggers = ServeLog.Create(Log))
        {
            loggers.CreateLogger("Grpc.AspNetCore.Server.ServerCallHandler").LogInformation(new InvalidOperationException("trace"), "Error reading message.");
            loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").LogInformation("connection reset");
            loggers.CreateLogger("Kubes.Controller.Registrar.AgentRegistrar").LogInformation("Instance i-1 joined");
        }

        var log = File.ReadAllText(Log);
        Assert.Contains("Instance i-1 joined", log);
        Assert.DoesNotContain("Error reading message", log);
        Assert.DoesNotContain("connection reset", log);
    }
}
