using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Kubes.Agent.Tests.Support;

namespace Kubes.Agent.Tests;

/// <summary>
/// The real kubes-agent started the way systemd starts a Type=notify unit: as a child of a process whose name is
/// <c>systemd</c> (what Microsoft.Extensions.Hosting.Systemd 10 checks through /proc/PPID/comm) with NOTIFY_SOCKET
/// naming a unix datagram socket, here one the test listens on.
/// </summary>
public sealed class ProgramSystemdTests : IDisposable
{
    private readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Under_systemd_the_agent_notifies_ready_once_started_and_stopping_on_sigterm()
    {
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        var socketPath = _root.Join("notify.sock");
        notify.Bind(new UnixDomainSocketEndPoint(socketPath));
        var config = WriteConfigForAnAbsentCoordinator();

        // The parent renames itself systemd, then starts the agent as its child and waits for it, as systemd does.
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-c", "printf systemd > /proc/$$/comm; \"$@\" & wait $!", "systemd",
                     Path.Join(AppContext.BaseDirectory, "agent", "kubes-agent"), "--config", config])
            start.ArgumentList.Add(argument);
        start.Environment["NOTIFY_SOCKET"] = socketPath;
        start.Environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = $"http://127.0.0.1:{FreePort.OnLoopback()}";
        using var systemd = Process.Start(start)!;
        var output = systemd.StandardOutput.ReadToEndAsync();
        var errors = systemd.StandardError.ReadToEndAsync();
        try
        {
            Assert.Contains("READY=1", await ReceiveUntilAsync(notify, "READY=1"));

            Signal(AgentPidUnder(systemd.Id), "TERM");
            Assert.Contains("STOPPING=1", await ReceiveUntilAsync(notify, "STOPPING=1"));
            await systemd.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            Assert.True(systemd.ExitCode == 0, $"exit {systemd.ExitCode}\n{await output}\n{await errors}");
        }
        finally
        {
            if (!systemd.HasExited) systemd.Kill(entireProcessTree: true);
        }
    }

    /// <summary>An agent with nothing to join: it starts, then retries the metadata service on a closed port.</summary>
    private string WriteConfigForAnAbsentCoordinator()
    {
        var path = _root.Join("etc", "kubes", "agent.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            cluster = "notify", role = "etcd", slot = 0, joinToken = "unused", channel = "grpc",
            coordinatorUrl = $"https://127.0.0.1:{FreePort.OnLoopback()}", coordinatorCaSha256 = "sha256:" + new string('0', 64),
            rootDir = _root.Join("instance"),
        }));
        return path;
    }

    private static async Task<string> ReceiveUntilAsync(Socket socket, string expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains(expected, StringComparison.Ordinal))
        {
            var length = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            received.Append(Encoding.UTF8.GetString(buffer, 0, length)).Append('\n');
        }
        return received.ToString();
    }

    private static int AgentPidUnder(int parent) =>
        int.Parse(File.ReadAllText($"/proc/{parent}/task/{parent}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Single(),
            CultureInfo.InvariantCulture);

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
