using System.Diagnostics;
using System.Net;

namespace Kubes.Controller.Local;

/// <summary>
/// The local provider's coordinator process: <c>kubes serve</c> for the cluster, started in its own session so it
/// outlives <c>kubes up</c>. It answers agents over gRPC and serves every local instance's metadata. Its pid and
/// log live in &lt;state&gt;/local/.
/// </summary>
public sealed class LocalServeDaemon(string stateFolder)
{
    public string PidFile => Path.Join(stateFolder, "local", "serve.pid");
    /// <summary>The coordinator's log, rolled over by size (serve_001.log, ...).</summary>
    public string LogFile => Path.Join(stateFolder, "local", "serve.log");

    /// <summary>What the process writes outside its log: its start line, a fatal error.</summary>
    public string OutputFile => Path.Join(stateFolder, "local", "serve.out");

    public int? RunningPid()
    {
        if (!File.Exists(PidFile) || !int.TryParse(File.ReadAllText(PidFile).Trim(), out var pid)) return null;
        var cmdline = $"/proc/{pid}/cmdline";
        return File.Exists(cmdline) && File.ReadAllText(cmdline).Contains("serve", StringComparison.Ordinal) ? pid : null;
    }

    /// <summary>How the coordinator process finds the same spec: the file, or the embedded local default.</summary>
    public static IReadOnlyList<string> SpecArguments(string? specFile) => specFile is null ? ["--local"] : ["-f", specFile];

    /// <summary>
    /// Starts <c>kubes serve</c> unless it already runs, and waits until it accepts connections on
    /// <paramref name="listen"/> (gRPC) and <paramref name="metadata"/> (the instances' metadata). Says, for the operator,
    /// where it serves.
    /// </summary>
    public async Task<string> EnsureRunningAsync(IReadOnlyList<string> specArguments, IPEndPoint listen, IPEndPoint metadata,
        CancellationToken cancellationToken)
    {
        if (RunningPid() is { } running && await TcpProbe.AcceptsAsync(listen, cancellationToken) && await TcpProbe.AcceptsAsync(metadata, cancellationToken))
            return $"Coordinator already serving on {listen} (pid {running}).";
        Directory.CreateDirectory(Path.GetDirectoryName(PidFile)!);
        var (program, prefix) = SelfCommand();
        var start = new ProcessStartInfo("setsid") { WorkingDirectory = Environment.CurrentDirectory, UseShellExecute = false };
        // A shell only to redirect into the log and detach stdin; the arguments go through as "$@".
        foreach (var argument in (string[])["bash", "-c", "exec \"$@\" >>\"$KUBES_SERVE_LOG\" 2>&1 </dev/null", "kubes-serve", program,
                     .. prefix, "serve", .. specArguments, "--listen", listen.ToString(), "--log-file", LogFile])
            start.ArgumentList.Add(argument);
        start.Environment["KUBES_SERVE_LOG"] = OutputFile;
        using var process = Process.Start(start) ?? throw new LocalProviderException("could not start 'kubes serve'");
        await File.WriteAllTextAsync(PidFile, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        var waited = Stopwatch.StartNew();
        while (!await TcpProbe.AcceptsAsync(listen, cancellationToken) || !await TcpProbe.AcceptsAsync(metadata, cancellationToken))
        {
            if (process.HasExited || waited.Elapsed > TimeSpan.FromSeconds(60))
                throw new LocalProviderException(
                    $"'kubes serve' did not start listening on {listen} and {metadata}; {OutputFile} and its log {LogFile} end with:\n" +
                    $"{TcpProbe.Tail(OutputFile)}\n{TcpProbe.Tail(LogFile)}");
            await Task.Delay(200, cancellationToken);
        }
        return $"Coordinator serving on {listen} (pid {process.Id}, log {LogFile}).";
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (RunningPid() is not { } pid) return;
        using var process = Process.GetProcessById(pid);
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(cancellationToken);
        File.Delete(PidFile);
    }

    /// <summary>How to run this very kubes again: its apphost, or dotnet with its assembly.</summary>
    private static (string Program, string[] Prefix) SelfCommand()
    {
        var path = Environment.ProcessPath ?? throw new LocalProviderException("cannot tell which program runs kubes");
        return Path.GetFileNameWithoutExtension(path) == "dotnet"
            ? (path, [Path.Join(AppContext.BaseDirectory, typeof(LocalServeDaemon).Assembly.GetName().Name + ".dll")])
            : (path, []);
    }
}
