using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Local;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Coordinator;

/// <summary>
/// <c>kubes destroy</c> with the local provider: every instance's process tree stopped and its folder removed, the
/// coordinator process stopped, then the state folder itself.
/// </summary>
public static class LocalClusterDestroy
{
    public static async Task<(Plan Plan, ApplyResult Result)> RunAsync(ClusterSession session, IApplyProgress progress,
        CancellationToken cancellationToken)
    {
        var provider = new LocalProvider(session.Spec.Name, session.StateFolder);
        var reconciler = new ClusterReconciler([provider.InstanceHandler(new NoLaunchBootstrap(), new NoMetadata())], _ => FailureKind.Permanent);
        var (plan, result) = await reconciler.DestroyAsync(progress, cancellationToken);
        if (!result.Succeeded) return (plan, result);
        await new LocalServeDaemon(session.StateFolder).StopAsync(cancellationToken);
        if (Directory.Exists(session.StateFolder)) Directory.Delete(session.StateFolder, recursive: true);
        return (plan, result);
    }

    private sealed class NoMetadata : ILocalMetadataPublisher
    {
        public Task PublishAsync(LocalInstance instance, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task WithdrawAsync(LocalInstance instance, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
