using Kubes.Controller.Aws;
using Kubes.Controller.Aws.Handlers;
using Kubes.Controller.Aws.Query;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Bootstrap;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Fixtures;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Aws.Handlers;

/// <summary>A cluster spec reconciled against moto, with every AWS call counted.</summary>
internal sealed class AwsClusterHarness : IDisposable
{
    public const string Image = "ami-1e749f67";

    /// <param name="endpoints">Endpoint variables that send some services elsewhere (such as a <see cref="DenyingEc2Proxy"/>).</param>
    public AwsClusterHarness(MotoServer moto, Func<ClusterSpec, ClusterSpec>? customize = null,
        IReadOnlyDictionary<string, string>? endpoints = null)
    {
        var spec = ClusterSpecDefaults.Aws("demo") with
        {
            Image = Image,
            Network = ClusterSpecDefaults.Aws("demo").Network with { AdminCidrs = ["203.0.113.0/24"] },
        };
        Spec = customize is null ? spec : customize(spec);
        Topology = ClusterTopology.From(Spec);
        State = StateStoreLocation.Default("123456789012", Spec.Name);
        Clients = new AwsCloudClients(moto.Environment(endpoints), Calls);
        Desired = AwsClusterModel.Build(Topology, State);
    }

    public ClusterSpec Spec { get; }
    public ClusterTopology Topology { get; }
    public StateStoreLocation State { get; }
    public AwsCallCounter Calls { get; } = new();
    public AwsCloudClients Clients { get; }
    public IReadOnlyList<DesiredResource> Desired { get; }
    public RecordingBootstrap Bootstrap { get; } = new();

    /// <summary>A new reconciler each time, as a new run of the command would have: no cache survives.</summary>
    public ClusterReconciler Reconciler() => new(
        AwsHandlers.For(Clients, Spec.Name, State, Image, Bootstrap, new AwsWaiter(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(30))),
        AwsTransientErrors.Classify);

    public async Task<ApplyResult> UpAsync(CancellationToken cancellationToken = default)
    {
        var (_, result) = await Reconciler().ApplyAsync(Desired, new RecordingProgress(), cancellationToken);
        return result;
    }

    public void Dispose() => Clients.Dispose();
}

internal sealed class RecordingBootstrap : IInstanceBootstrap
{
    public List<string> Launched { get; } = [];

    public Task<string> UserDataAsync(InstanceSlot slot, CancellationToken cancellationToken)
    {
        lock (Launched) Launched.Add(slot.Name);
        return Task.FromResult($"#!/bin/bash\necho {slot.Name}\n");
    }

    public Task<string> GroupUserDataAsync(InstanceRole role, CancellationToken cancellationToken) =>
        Task.FromResult($"#!/bin/bash\necho {role.TagValue()}\n");

    public Task LaunchedAsync(string userData, string instanceId, CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class RecordingProgress : IApplyProgress
{
    public List<string> Events { get; } = [];

    public void Started(ResourceChange change) => Add($"start {change.Key}");
    public void Succeeded(ResourceChange change, TimeSpan elapsed) => Add($"done {change.Key}");
    public void Failed(ResourceChange change, Exception error) => Add($"failed {change.Key}: {error.Message}");
    public void Skipped(ResourceChange change, string reason) => Add($"skipped {change.Key}: {reason}");
    public void Retrying(ResourceChange change, Exception error, int attempt, TimeSpan delay) => Add($"retrying {change.Key}: {error.Message}");

    private void Add(string line)
    {
        lock (Events) Events.Add(line);
    }
}
