using Amazon.EC2.Model;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.EndToEnd;
using Kubes.Controller.Tests.Fixtures;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.Cli.Commands;

/// <summary>'kubes up' with a spec whose component override is wrong: refused as bad input before the cloud is touched.</summary>
[Collection(MotoServer.Collection)]
public sealed class UpCommandSpecTests(MotoServer moto) : IAsyncLifetime
{
    private readonly TempFolder _folder = new();

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("no-such-flag", "etcd 3.6 has no flag --no-such-flag")]
    [InlineData("peer-client-cert-auth", "--peer-client-cert-auth cannot be overridden")]
    public async Task Up_with_a_refused_etcd_flag_exits_2_naming_the_field_and_its_line_and_creates_nothing(string flag, string reason)
    {
        var spec = ClusterSpecDefaults.Aws("badflag") with
        {
            Components = new Dictionary<string, ComponentSpec>
            {
                ["etcd"] = new() { ExtraArgs = new Dictionary<string, string> { ["log-level"] = "warn", [flag] = "1" } },
            },
        };
        var file = Path.Join(_folder.Path, "cluster.yaml");
        var yaml = ClusterSpecWriter.Write(spec);
        await File.WriteAllTextAsync(file, yaml);
        var line = Array.FindIndex(yaml.Split('\n'), l => l.TrimStart().StartsWith($"{flag}:", StringComparison.Ordinal)) + 1;

        var up = await KubesProcess.RunAsync(_folder.Path, TimeSpan.FromMinutes(2),
            new Dictionary<string, string>(moto.EnvironmentVariables) { ["KUBES_AGENT_BINARY"] = KubesProcess.AgentBesideKubes },
            "up", "--yes", "-f", file, "--wait-minutes", "0");

        Assert.True(up.ExitCode == 2, up.ToString());
        Assert.Contains($"{file}:{line}:", up.Stderr);
        Assert.Contains($"spec.components.etcd.extraArgs.{flag}: {reason}", up.Stderr);
        using var ec2 = moto.Environment().CreateEc2Client();
        Assert.Empty((await ec2.DescribeVpcsAsync(new DescribeVpcsRequest
        {
            Filters = [new Filter("tag:kubes.io/cluster", ["badflag"])],
        })).Vpcs ?? []);
        using var s3 = moto.Environment().CreateS3Client();
        Assert.Empty((await s3.ListBucketsAsync()).Buckets ?? []);
    }
}
