using System.Diagnostics;
using System.Runtime.Versioning;

namespace Kubes.Controller.Local.Haproxy;

/// <summary>What runs of a local API load balancer: its HAProxy's session (null when none runs) and its configuration file.</summary>
public sealed record LocalApiLoadBalancerState(LocalSession? Session, string? Configuration)
{
    public bool IsRunning => Session is not null;
}

/// <summary>
/// The local provider's API endpoint on this machine: Debian's HAProxy, run as a process tree of its own (see
/// <see cref="LocalProcessTrees.StartDaemonAsync"/>) marked <see cref="TreeIdOf"/> its cluster's bridge, so that the next
/// <c>kubes up</c> or <c>kubes destroy</c> finds and replaces or stops one that a crashed run left, even with its state
/// folder gone. Its configuration and log live in &lt;state&gt;/local/.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class LocalApiLoadBalancer(string bridge, string stateFolder)
{
    private const string Program = "haproxy";
    private static readonly TimeSpan ListenLimit = TimeSpan.FromSeconds(10);

    /// <summary>The marker of the HAProxy of the cluster whose VPC is <paramref name="bridge"/>.</summary>
    public static string TreeIdOf(string bridge) => $"haproxy-{bridge}";

    public string TreeId => TreeIdOf(bridge);
    public string ConfigurationPath => Path.Join(stateFolder, "local", "haproxy.cfg");
    public string LogPath => Path.Join(stateFolder, "local", "haproxy.log");

    /// <summary>How long HAProxy gets after SIGTERM before SIGKILL.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(5);

    public LocalApiLoadBalancerState Read()
    {
        var session = LocalProcessTrees.FindSession(TreeId);
        var configuration = File.Exists(ConfigurationPath) ? File.ReadAllText(ConfigurationPath) : null;
        return new LocalApiLoadBalancerState(session, configuration);
    }

    /// <summary>
    /// Stops whatever HAProxy of this cluster runs, writes <paramref name="configuration"/>, has HAProxy check it, starts it
    /// and waits until it accepts connections on the configuration's frontend.
    /// </summary>
    public async Task StartAsync(HaproxyConfiguration configuration, CancellationToken cancellationToken)
    {
        var program = RequireProgram();
        await StopAsync(cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(ConfigurationPath)!);
        await File.WriteAllTextAsync(ConfigurationPath, configuration.Render(), cancellationToken);
        await CheckAsync(program, cancellationToken);
        await LocalProcessTrees.StartDaemonAsync(TreeId, [program, "-db", "-f", ConfigurationPath], LogPath, cancellationToken);

        var waited = Stopwatch.StartNew();
        while (!await TcpProbe.AcceptsAsync(configuration.Frontend, cancellationToken))
        {
            if (LocalProcessTrees.FindSession(TreeId) is null || waited.Elapsed > ListenLimit)
                throw new LocalProviderException(
                    $"HAProxy did not start listening on {configuration.Frontend} (the cluster's API endpoint) within " +
                    $"{ListenLimit.TotalSeconds:0} s; its log {LogPath} ends with:\n{TcpProbe.Tail(LogPath)}");
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Stops every process of this cluster's HAProxy; safe to repeat.</summary>
    public Task StopAsync(CancellationToken cancellationToken) =>
        LocalProcessTrees.StopAsync(TreeId, LocalProcessTrees.FindSession(TreeId), StopGrace, cancellationToken);

    /// <summary>Stops it and removes its configuration and log.</summary>
    public async Task RemoveAsync(CancellationToken cancellationToken)
    {
        await StopAsync(cancellationToken);
        File.Delete(ConfigurationPath);
        File.Delete(LogPath);
    }

    private async Task CheckAsync(string program, CancellationToken cancellationToken)
    {
        var check = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-c", "-f", ConfigurationPath]) check.ArgumentList.Add(argument);
        using var process = Process.Start(check) ?? throw new LocalProviderException($"{program} could not be started.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new LocalProviderException(
                $"HAProxy refused the API endpoint's configuration {ConfigurationPath} (haproxy -c exited with {process.ExitCode}):\n" +
                $"{(await output + await errors).Trim()}");
    }

    private static string RequireProgram() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        .Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Append("/usr/sbin")
        .Select(folder => Path.Join(folder, Program))
        .FirstOrDefault(File.Exists)
        ?? throw new LocalProviderException(
            "HAProxy (haproxy) is not installed on this machine: the local provider's API endpoint runs it. Install " +
            "Debian's package (apt-get install haproxy, as scripts/up-local.sh does), then run the command again.");
}
