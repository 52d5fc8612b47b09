using Kubes.Controller.Aws;
using Kubes.Controller.Aws.Handlers;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Local;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Coordinator;

/// <summary>The plan against what exists: the very handlers <c>up</c> applies with, asked only to find and compare.</summary>
public static class LivePlan
{
    public static async Task<Plan> ComputeAsync(ClusterSpec spec, CancellationToken cancellationToken)
    {
        using var session = await ClusterSession.OpenAsync(spec, null, cancellationToken);
        if (spec.Provider == ProviderKind.Local)
        {
            var provider = new LocalProvider(spec.Name, session.StateFolder);
            var local = new ClusterReconciler([provider.InstanceHandler(new NoLaunchBootstrap(), new RemoteMetadataPublisher(new HttpClient(), TimeSpan.Zero))],
                _ => FailureKind.Permanent);
            return (await local.PlanAsync(LocalClusterModel.Build(session.Topology), cancellationToken)).Plan;
        }
        var aws = session.Aws!;
        // The image matters only to a launch; the plan compares instances by slot, type and address.
        var handlers = AwsHandlers.For(aws, spec.Name, session.S3!, spec.Image, new NoLaunchBootstrap());
        var reconciler = new ClusterReconciler(handlers, AwsTransientErrors.Classify);
        return (await reconciler.PlanAsync(AwsClusterModel.Build(session.Topology, session.S3!), cancellationToken)).Plan;
    }
}
