using System.Text.Json;
using Amazon.EC2.Model;
using Kubes.Controller.Aws;
using Kubes.Controller.Aws.Query;
using Kubes.Controller.Cli.Rendering;
using Kubes.Controller.Operations.Up;
using Kubes.Controller.Providers;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Artifacts;
using Kubes.Controller.Tests.Fixtures;

namespace Kubes.Controller.Tests.Operations.Up;

/// <summary>What <c>kubes up</c> does on AWS as a whole — cloud resources, state store, CAs, agent upload — counted.</summary>
[Collection(MotoServer.Collection)]
public sealed class ClusterUpOnAwsTests(MotoServer moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_second_up_makes_no_mutating_call_at_all()
    {
        var spec = ClusterSpecDefaults.Aws("noop") with { Image = "ami-1e749f67", Artifacts = new ArtifactsSpec { BaseUrl = HostReleaseImport.UnreachableSite } };
        var calls = new AwsCallCounter();
        using var session = await ClusterProviders.OpenAsync(spec, new ProviderOptions { AwsEnvironment = moto.Environment(), AwsCalls = calls }, CancellationToken.None);
        using var output = new StringWriter();

        var first = await new ClusterUp(session, new ConsoleUpProgress(output)).RunAsync(TimeSpan.Zero, CancellationToken.None);
        Assert.True(first.Result.Succeeded, output.ToString());
        Assert.True(calls.Mutations > 50);

        var before = calls.Calls.Count;
        var second = await new ClusterUp(session, new ConsoleUpProgress(output)).RunAsync(TimeSpan.Zero, CancellationToken.None);
        Assert.True(second.Result.Succeeded, output.ToString());
        var mutating = calls.Calls.Skip(before).Where(c => c.Mutating).Select(c => $"{c.Service} {c.Action}").ToList();
        Assert.True(mutating.Count == 0, string.Join(", ", mutating));
    }

    [Fact]
    public async Task Every_join_token_is_bound_to_the_instance_launched_with_it()
    {
        var spec = ClusterSpecDefaults.Aws("bound") with { Image = "ami-1e749f67", Artifacts = new ArtifactsSpec { BaseUrl = HostReleaseImport.UnreachableSite } };
        using var session = await ClusterProviders.OpenAsync(spec, new ProviderOptions { AwsEnvironment = moto.Environment() }, CancellationToken.None);
        using var output = new StringWriter();

        var up = await new ClusterUp(session, new ConsoleUpProgress(output)).RunAsync(TimeSpan.Zero, CancellationToken.None);
        Assert.True(up.Result.Succeeded, output.ToString());

        var instances = (await ((AwsClusterSession)session).Clients.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest()))
            .Reservations.SelectMany(r => r.Instances)
            .ToDictionary(i => i.InstanceId, i => i.Tags.Single(t => t.Key == "kubes.io/slot").Value);
        var records = new List<(string Slot, string? InstanceId)>();
        foreach (var key in await session.Store.ListAsync("registrar/join-tokens/"))
        {
            if (key.EndsWith(".used.json", StringComparison.Ordinal)) continue;
            using var record = JsonDocument.Parse((await session.Store.GetAsync(key))!.Content);
            var root = record.RootElement;
            records.Add(($"{root.GetProperty("role").GetString()}-{root.GetProperty("slot").GetInt32()}",
                root.GetProperty("instanceId").GetString()));
        }

        Assert.Equal(instances.Count, records.Count);
        foreach (var (slot, instanceId) in records)
        {
            Assert.NotNull(instanceId);
            Assert.Equal(slot, instances[instanceId]);
        }
    }
}
