using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kubes.Controller.UserData;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kubes.Controller.Tests.UserData;

/// <summary>
/// The rendered script run by bash for real, as the local provider runs it: KUBES_ROOT in a temp folder,
/// a loopback server playing IMDSv2 and the presigned URL, and a small executable as the "agent".
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class BootstrapScriptTests : IAsyncLifetime
{
    /// <summary>Writes the arguments it got next to its config, then stays up like an agent.</summary>
    private static readonly byte[] AgentPayload = Encoding.UTF8.GetBytes(
        "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$2\")/agent-started\"\nexec sleep 300\n");

    private readonly string _root = Directory.CreateTempSubdirectory("kubes-bootstrap-test-").FullName;
    private readonly int _port = FreeLoopbackPort();
    private WebApplication _server = null!;

    /// <summary>IMDSv2 as AWS answers it (metadata only with a token) and the agent's presigned URL.</summary>
    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_port}");
        _server = builder.Build();
        _server.MapPut("/latest/api/token", (HttpRequest request) =>
            request.Headers.ContainsKey("X-aws-ec2-metadata-token-ttl-seconds") ? Results.Text("imds-token") : Results.BadRequest());
        _server.MapGet("/latest/meta-data/instance-id", (HttpRequest request) =>
            request.Headers["X-aws-ec2-metadata-token"] == "imds-token" ? Results.Text("i-0bootstrap") : Results.Unauthorized());
        _server.MapGet("/agents/kubes-agent", () => Results.Bytes(AgentPayload));
        await _server.StartAsync();
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        var pidFile = Path.Join(_root, "run", "kubes-agent.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
        {
            // The supervisor leads its own session: its group is the whole "instance".
            using var kill = Process.Start("kill", ["-TERM", "--", $"-{pid}"]);
            await kill.WaitForExitAsync();
        }

        await _server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string script, bool rootFromEnvironment = true)
    {
        var path = Path.Join(_root, "user-data.sh");
        await File.WriteAllTextAsync(path, script);
        var start = new ProcessStartInfo("bash", [path])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            Environment =
            {
                ["KUBES_ROOT"] = rootFromEnvironment ? _root : null,
                ["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = $"http://127.0.0.1:{_port}/",
                ["TMPDIR"] = _root,
            },
        };
        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEndAsync();
        var error = bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
        return (bash.ExitCode, await output + await error);
    }

    private string AgentUrl => $"http://127.0.0.1:{_port}/agents/kubes-agent";

    [Fact]
    public async Task Installs_configures_and_starts_the_agent_it_verified()
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(AgentPayload));

        var (exitCode, output) = await RunAsync(UserDataRenderer.Render(UserDataRendererTests.Etcd0(AgentUrl, sha256) with
        {
            MailboxEndpoint = "http://127.0.0.1:5000",
        }));

        Assert.True(exitCode == 0, output);
        Assert.Contains("instance i-0bootstrap: cluster demo, role etcd, slot 0", output);
        var agent = Path.Join(_root, "usr", "local", "bin", "kubes-agent");
        Assert.Equal(AgentPayload, await File.ReadAllBytesAsync(agent));
        Assert.True(File.GetUnixFileMode(agent).HasFlag(UnixFileMode.UserExecute));

        var configPath = Path.Join(_root, "etc", "kubes", "agent.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(configPath));
        using var config = JsonDocument.Parse(await File.ReadAllTextAsync(configPath));
        var json = config.RootElement;
        Assert.Equal(("demo", "etcd", 0, "jt_0123456789abcdef", "s3"),
            (json.GetProperty("cluster").GetString(), json.GetProperty("role").GetString(), json.GetProperty("slot").GetInt32(),
                json.GetProperty("joinToken").GetString(), json.GetProperty("channel").GetString()));
        Assert.Equal(("kubes-state-demo", "clusters/demo", "http://127.0.0.1:5000"),
            (json.GetProperty("mailbox").GetProperty("bucket").GetString(), json.GetProperty("mailbox").GetProperty("prefix").GetString(),
                json.GetProperty("mailbox").GetProperty("endpoint").GetString()));
        Assert.Equal(_root, json.GetProperty("rootDir").GetString());

        var unit = await File.ReadAllTextAsync(Path.Join(_root, "etc", "systemd", "system", "kubes-agent.service"));
        Assert.Contains("Type=notify\n", unit);
        Assert.Contains("Restart=always\n", unit);
        Assert.Contains($"ExecStart={agent} --config {configPath}\n", unit);

        var started = Path.Join(_root, "etc", "kubes", "agent-started");
        for (var i = 0; i < 100 && !File.Exists(started); i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal($"--config\n{configPath}\n", await File.ReadAllTextAsync(started));
        Assert.True(File.Exists(Path.Join(_root, "run", "kubes-agent.pid")));
        Assert.Contains("no systemd here", await File.ReadAllTextAsync(Path.Join(_root, "var", "log", "kubes-bootstrap.log")));
    }

    [Fact]
    public async Task The_rendered_root_applies_when_the_environment_names_none()
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(AgentPayload));

        var (exitCode, output) = await RunAsync(
            UserDataRenderer.Render(UserDataRendererTests.Etcd0(AgentUrl, sha256) with { RootDefault = _root }), rootFromEnvironment: false);

        Assert.True(exitCode == 0, output);
        Assert.True(File.Exists(Path.Join(_root, "etc", "kubes", "agent.json")));
        Assert.Contains($"root {_root}", output);
    }

    [Fact]
    public async Task Refuses_an_agent_whose_hash_is_not_the_rendered_one()
    {
        var (exitCode, output) = await RunAsync(UserDataRenderer.Render(UserDataRendererTests.Etcd0(AgentUrl, new string('0', 64))));

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"FAILED: the downloaded kubes-agent has SHA-256 {Convert.ToHexStringLower(SHA256.HashData(AgentPayload))}, " +
                        $"expected {new string('0', 64)}: refusing to install it", output);
        Assert.False(File.Exists(Path.Join(_root, "usr", "local", "bin", "kubes-agent")));
        Assert.False(File.Exists(Path.Join(_root, "etc", "kubes", "agent.json")));
        Assert.Empty(Directory.GetFiles(_root, "kubes-agent.*"));
    }

    [Fact]
    public async Task Without_an_IMDSv2_token_nothing_is_installed()
    {
        await _server.StopAsync();

        var (exitCode, output) = await RunAsync(UserDataRenderer.Render(UserDataRendererTests.Etcd0(AgentUrl)));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("no IMDSv2 token", output);
        Assert.False(File.Exists(Path.Join(_root, "usr", "local", "bin", "kubes-agent")));
    }
}
