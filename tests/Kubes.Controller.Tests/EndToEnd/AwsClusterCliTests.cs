using System.Text.Json;
using Amazon.S3.Model;
using Kubes.Controller.Tests.Fixtures;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.EndToEnd;

/// <summary>
/// The kubes executable against the AWS emulator, configured only the standard way (AWS_ENDPOINT_URL, keys,
/// region), on the spec <c>kubes init</c> prints as it is.
/// </summary>
[Collection(MotoServer.Collection)]
public sealed class AwsClusterCliTests(MotoServer moto) : IAsyncLifetime
{
    private static readonly TimeSpan Slow = TimeSpan.FromMinutes(5);
    private readonly TempFolder _folder = new();

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>moto launches no instance, so the agent it stores never runs: the one 'dotnet build' made is named.</summary>
    private Task<KubesProcess.Result> Kubes(params string[] arguments) =>
        KubesProcess.RunAsync(_folder.Path, Slow,
            new Dictionary<string, string>(moto.EnvironmentVariables) { ["KUBES_AGENT_BINARY"] = KubesProcess.AgentBesideKubes }, arguments);

    private async Task<JsonElement> PlanSummaryAsync()
    {
        var plan = await Kubes("plan", "-o", "json");
        Assert.True(plan.ExitCode == 0, plan.ToString());
        return JsonDocument.Parse(plan.Stdout).RootElement.GetProperty("summary");
    }

    [Fact]
    public async Task The_spec_init_prints_comes_up_a_second_up_changes_nothing_and_destroy_leaves_nothing()
    {
        var init = await Kubes("init", "--name", "demo");
        Assert.True(init.ExitCode == 0, init.ToString());
        await File.WriteAllTextAsync(Path.Join(_folder.Path, "cluster.yaml"), init.Stdout);

        var before = await PlanSummaryAsync();
        Assert.True(before.GetProperty("create").GetInt32() > 50);

        var refused = await Kubes("up");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--yes", refused.Stderr);

        var up = await Kubes("up", "--yes", "--wait-minutes", "0");
        Assert.True(up.ExitCode == 0, up.ToString());
        var after = await PlanSummaryAsync();
        Assert.Equal(0, after.GetProperty("create").GetInt32() + after.GetProperty("update").GetInt32() + after.GetProperty("delete").GetInt32());
        // The CAs the first up made, read back from the state bucket; no agent ran, so nothing was issued yet.
        var certs = await Kubes("certs", "-o", "json");
        Assert.True(certs.ExitCode == 0, certs.ToString());
        var inventory = JsonDocument.Parse(certs.Stdout).RootElement;
        Assert.Equal(["etcd", "kubernetes", "front-proxy", "vpn"], inventory.GetProperty("authorities").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.All(inventory.GetProperty("authorities").EnumerateArray(), a => Assert.InRange(a.GetProperty("daysLeft").GetInt64(), 3649, 3650));
        Assert.Empty(inventory.GetProperty("certificates").EnumerateArray());

        var again = await Kubes("up", "--yes", "--wait-minutes", "0");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Infrastructure: nothing to change.", again.Stdout);

        var destroy = await Kubes("destroy", "--yes");
        Assert.True(destroy.ExitCode == 0, destroy.ToString());
        var gone = await PlanSummaryAsync();
        Assert.Equal(before.GetProperty("create").GetInt32(), gone.GetProperty("create").GetInt32());
        Assert.Equal(0, gone.GetProperty("delete").GetInt32());
    }

    [Fact]
    public async Task Destroy_finds_everything_by_tag_when_the_state_bucket_is_already_gone()
    {
        var init = await Kubes("init", "--name", "orphan");
        await File.WriteAllTextAsync(Path.Join(_folder.Path, "cluster.yaml"), init.Stdout);
        var up = await Kubes("up", "--yes", "--wait-minutes", "0");
        Assert.True(up.ExitCode == 0, up.ToString());

        using var s3 = moto.Environment().CreateS3Client();
        var bucket = (await s3.ListBucketsAsync()).Buckets.Single(b => b.BucketName.EndsWith("-orphan", StringComparison.Ordinal)).BucketName;
        var versions = await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket });
        foreach (var version in versions.Versions ?? [])
            await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = version.Key, VersionId = version.VersionId });
        await s3.DeleteBucketAsync(bucket);

        var destroy = await Kubes("destroy", "--yes");
        Assert.True(destroy.ExitCode == 0, destroy.ToString());
        var plan = await PlanSummaryAsync();
        Assert.Equal(0, plan.GetProperty("delete").GetInt32());
        Assert.Equal(0, plan.GetProperty("unchanged").GetInt32());
    }
}
