using Kubes.Controller.Aws.Handlers;
using Kubes.Controller.Aws.Query;
using Kubes.Controller.Coordinator;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Spec;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Bench.Aws;

/// <summary>
/// <c>kubes up --yes --wait-minutes 0</c> and <c>kubes destroy --yes</c> on AWS, through the classes the commands run,
/// with every AWS call of the command's own session reported to <paramref name="calls"/>.
/// </summary>
public static class KubesCommands
{
    /// <summary>The infrastructure, the PKI and agent in the state bucket, a join token per launched instance, and one
    /// look at the mailbox; with no wait it does not follow the agents.</summary>
    public static async Task<ApplyResult> UpAsync(ClusterSpec spec, IAwsCallObserver calls)
    {
        using var session = await ClusterSession.OpenAsync(spec, calls, CancellationToken.None);
        var (result, _) = await new AwsClusterUp(session, TextWriter.Null, NullLoggerFactory.Instance)
            .RunAsync(TimeSpan.Zero, CancellationToken.None);
        return result;
    }

    /// <summary>As DestroyCommand does it: nothing is launched, so no image and no bootstrap are needed.</summary>
    public static async Task<ApplyResult> DestroyAsync(ClusterSpec spec, IAwsCallObserver calls)
    {
        using var session = await ClusterSession.OpenAsync(spec, calls, CancellationToken.None);
        var handlers = AwsHandlers.For(session.Aws!, spec.Name, session.S3!, imageId: "", new NoLaunchBootstrap());
        var (_, result) = await new ClusterReconciler(handlers, AwsTransientErrors.Classify)
            .DestroyAsync(new SilentProgress(), CancellationToken.None);
        return result;
    }

    private sealed class SilentProgress : IApplyProgress
    {
        public void Started(ResourceChange change) { }
        public void Succeeded(ResourceChange change, TimeSpan elapsed) { }
        public void Failed(ResourceChange change, Exception error) { }
        public void Retrying(ResourceChange change, Exception error, int attempt, TimeSpan delay) { }
        public void Skipped(ResourceChange change, string reason) { }
    }
}
