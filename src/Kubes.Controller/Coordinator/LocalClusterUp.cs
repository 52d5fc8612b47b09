using Kubes.Controller.Artifacts;
using Kubes.Controller.Cli.Rendering;
using Kubes.Controller.Local;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Status;

namespace Kubes.Controller.Coordinator;

/// <summary>
/// <c>kubes up</c> with the local provider: the coordinator process, then one process tree per slot booted from the
/// same user-data script as on AWS, then the agents' reports until the etcd tier is healthy.
/// </summary>
public sealed class LocalClusterUp(ClusterSession session, TextWriter output, string? specFile)
{
    public async Task<(ApplyResult Result, IReadOnlyList<SlotStatus> Slots)> RunAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var topology = session.Topology;
        using var http = HttpsArtifactSource.CreateClient();
        using var state = new CoordinatorState(topology, session.Store, ArtifactPinning.For(session.Spec, session.Store, http));
        var loaded = await state.GetAsync(cancellationToken);
        foreach (var line in loaded.Artifacts.Lines) await output.WriteLineAsync(line);
        var listen = LocalServeDaemon.ListenFor(topology);
        await new LocalServeDaemon(session.StateFolder).EnsureRunningAsync(SpecArguments(specFile), listen, output, cancellationToken);

        var provider = new LocalProvider(session.Spec.Name, session.StateFolder);
        var bootstrap = new AgentBootstrap(topology, state.Tokens, loaded.Agent, new FolderArtifactUrls(session.StateFolder),
            new CoordinatorEndpoint($"https://{listen}", CoordinatorCertificate.PinOf(loaded.Pki.Kubernetes.Certificate),
                Convert.ToBase64String(loaded.Pki.Kubernetes.Certificate.RawData)),
            mailbox: null, AgentBootstrap.DefaultTokenLifetime);
        using var metadataHttp = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var reconciler = new ClusterReconciler([provider.InstanceHandler(bootstrap, new RemoteMetadataPublisher(metadataHttp, TimeSpan.FromSeconds(30)))],
            _ => FailureKind.Permanent);

        await output.WriteLineAsync($"Booting cluster {session.Spec.Name} on this machine (state: {session.StateFolder}):");
        var (plan, result) = await reconciler.ApplyAsync(LocalClusterModel.Build(topology), new ConsoleApplyProgress(output), cancellationToken);
        await output.WriteLineAsync(plan.IsEmpty ? "Instances: nothing to change." : $"Instances: {result.Applied} of {plan.Changes.Count} changes applied.");
        if (!result.Succeeded) return (result, []);

        await output.WriteLineAsync($"Following the agents (up to {wait.TotalMinutes:0} min):");
        var statuses = new AgentStatusStore(session.Store);
        var slots = await new AgentWaiter(topology, statuses.ListAsync, Cli.Rendering.AgentStatusViews.For(output), TimeSpan.FromMilliseconds(500))
            .WaitAsync(wait, cancellationToken);
        return (result, slots);
    }

    /// <summary>How the coordinator process finds the same spec: the file, or the embedded local default.</summary>
    public static IReadOnlyList<string> SpecArguments(string? specFile) => specFile is null ? ["--local"] : ["-f", specFile];
}
