using System.Net;
using System.Net.Sockets;
using Kubes.Controller.Agents;
using Kubes.Controller.Tests.EndToEnd;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.Cli.Commands;

/// <summary>'kubes up' on AWS and the agent it would hand to instances that have no .NET.</summary>
public sealed class UpCommandAgentTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Up_on_aws_refuses_the_agent_dotnet_build_made_before_any_cloud_call()
    {
        // AWS's endpoint is a socket that only counts who connects.
        using var aws = new TcpListener(IPAddress.Loopback, 0);
        aws.Start();
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = "secret",
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ENDPOINT_URL"] = $"http://127.0.0.1:{((IPEndPoint)aws.LocalEndpoint).Port}/",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            [AgentBinary.OverrideVariable] = "",
        };
        var init = await KubesProcess.RunAsync(_folder.Path, TimeSpan.FromMinutes(1), environment, "init", "--name", "bare");
        Assert.True(init.ExitCode == 0, init.ToString());
        await File.WriteAllTextAsync(Path.Join(_folder.Path, "cluster.yaml"), init.Stdout);

        var up = await KubesProcess.RunAsync(_folder.Path, TimeSpan.FromMinutes(1), environment, "up", "--yes");

        Assert.True(up.ExitCode == 2, up.ToString());
        Assert.Contains($"{KubesProcess.AgentBesideKubes}, is a framework-dependent .NET single file", up.Stderr);
        Assert.Contains(AgentBinary.ReleaseCommand, up.Stderr);
        Assert.Contains(AgentBinary.OverrideVariable, up.Stderr);
        Assert.Contains("Nothing was changed.", up.Stderr);
        Assert.False(aws.Pending(), "kubes called AWS before refusing");
    }
}
