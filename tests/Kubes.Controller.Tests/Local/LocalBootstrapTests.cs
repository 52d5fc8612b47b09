using System.Net;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using Kubes.Controller.Local;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Local.Support;
using Kubes.Controller.Topology;
using Kubes.Controller.UserData;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kubes.Controller.Tests.Local;

/// <summary>
/// The real userdata/bootstrap.sh, rendered as for AWS, booted by the local provider: it gets its identity from the
/// instance's IMDSv2, installs the "agent" (a small script served on the bridge, where the instance reaches this
/// machine) and leaves it running under its restart loop in a session of its own, which destroy must still stop.
/// </summary>
[Collection(LocalTestCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class LocalBootstrapTests
{
    private static readonly byte[] AgentPayload = Encoding.UTF8.GetBytes(
        "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$2\")/agent-started\"\nexec sleep 300\n");

    /// <summary>Serves the agent on <paramref name="address"/>; returns the server and its agent URL.</summary>
    private static async Task<(WebApplication Server, string AgentUrl)> ServeAgentAsync(IPAddress address)
    {
        var port = LoopbackAddresses.FreePortOn(address);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://{address}:{port}");
        var server = builder.Build();
        server.MapGet("/agents/kubes-agent", () => Results.Bytes(AgentPayload));
        await server.StartAsync();
        return (server, $"http://{address}:{port}/agents/kubes-agent");
    }

    private static string UserData(string cluster, InstanceSlot slot, string agentUrl) => UserDataRenderer.Render(new UserDataSettings
    {
        Cluster = cluster,
        Role = slot.Role,
        Slot = slot.Index,
        JoinToken = "jt_local_bootstrap_test",
        AgentUrl = agentUrl,
        AgentSha256 = Convert.ToHexStringLower(SHA256.HashData(AgentPayload)),
        Channel = AgentChannel.S3,
        MailboxBucket = "kubes-state-test",
    });

    [Fact]
    public async Task The_bootstrap_script_runs_as_on_aws_and_destroy_stops_the_agent_it_left_in_its_own_session()
    {
        var name = LocalClusterHarness.NewName();
        string? agentUrl = null;
        await using var cluster = await LocalClusterHarness.StartAsync(slot => UserData(name, slot, agentUrl!), etcd: 1, nodes: 0, name: name);
        var (server, url) = await ServeAgentAsync(cluster.Topology.Reserved.Router);
        await using var _ = server;
        agentUrl = url;

        var up = await cluster.UpAsync();

        Assert.True(up.Succeeded, LocalClusterHarness.Describe(up));
        var instance = await cluster.InstanceAsync("etcd-0");
        var started = Path.Join(instance.RootFolder, "etc", "kubes", "agent-started");
        var pidFile = Path.Join(instance.RootFolder, "run", "kubes-agent.pid");
        await Eventually.WroteAsync(instance, "etc/kubes/agent-started");
        await Eventually.WroteAsync(instance, "run/kubes-agent.pid");
        Assert.Equal($"--config\n{Path.Join(instance.RootFolder, "etc", "kubes", "agent.json")}\n", await File.ReadAllTextAsync(started));
        var supervisor = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim());
        var agent = Assert.Single(ProcessTable.Running(), p => p.ParentPid == supervisor);
        Assert.Equal(supervisor, ProcessTable.Read(supervisor)!.Value.SessionId);
        Assert.NotEqual(instance.Session!.Value.LeaderPid, supervisor);
        Assert.True(ProcessTable.HasVariable(agent.Pid, LocalProcessTrees.InstanceMarker, instance.InstanceId));
        await Eventually.TrueAsync(() => File.ReadAllText(instance.ConsoleLogPath).Contains("kubes-bootstrap: done"),
            "the console log to show the end of the bootstrap");
        Assert.Contains($"kubes-bootstrap: instance {instance.InstanceId}: cluster {cluster.Spec.Name}, role etcd, slot 0",
            await File.ReadAllTextAsync(instance.ConsoleLogPath));

        var destroyed = await cluster.DestroyAsync();

        Assert.True(destroyed.Succeeded, LocalClusterHarness.Describe(destroyed));
        Assert.DoesNotContain(ProcessTable.Running(), p => p.Pid == supervisor || p.Pid == agent.Pid);
        Assert.False(Directory.Exists(instance.RootFolder));
    }
}
