using Kubes.Controller.Aws.Query;
using Kubes.Controller.Coordinator;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Controller.Tests.Coordinator;

/// <summary>What <c>kubes up</c> does on AWS as a whole — cloud resources, state store, CAs, agent upload — counted.</summary>
[Collection(MotoServer.Collection)]
public sealed class AwsClusterUpTests(MotoServer moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_second_up_makes_no_mutating_call_at_all()
    {
        var spec = ClusterSpecDefaults.Aws("noop") with { Image = "ami-1e749f67" };
        var calls = new AwsCallCounter();
        using var session = await ClusterSession.OpenAsync(spec, calls, CancellationToken.None, moto.Environment());
        using var output = new StringWriter();

        var first = await new AwsClusterUp(session, output, NullLoggerFactory.Instance).RunAsync(TimeSpan.Zero, CancellationToken.None);
        Assert.True(first.Result.Succeeded, output.ToString());
        Assert.True(calls.Mutations > 50);

        var before = calls.Calls.Count;
        var second = await new AwsClusterUp(session, output, NullLoggerFactory.Instance).RunAsync(TimeSpan.Zero, CancellationToken.None);
        Assert.True(second.Result.Succeeded, output.ToString());
        var mutating = calls.Calls.Skip(before).Where(c => c.Mutating).Select(c => $"{c.Service} {c.Action}").ToList();
        Assert.True(mutating.Count == 0, string.Join(", ", mutating));
    }
}
