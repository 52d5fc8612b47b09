using System.Diagnostics;

namespace Kubes.Controller.Tests.EndToEnd;

/// <summary>Debian's etcdctl against the cluster Kubes built.</summary>
internal static class EtcdCtl
{
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("etcdctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["ETCDCTL_API"] = "3";
        start.ArgumentList.Add("--dial-timeout=3s");
        start.ArgumentList.Add("--command-timeout=5s");
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
