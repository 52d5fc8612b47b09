using Kubes.Controller.Aws.Query;
using Kubes.Controller.Cli.Rendering;
using Kubes.Controller.Operations.Destroy;
using Kubes.Controller.Operations.Up;
using Kubes.Controller.Providers;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Spec;

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
        using var session = await ClusterProviders.OpenAsync(spec, new ProviderOptions { AwsCalls = calls }, CancellationToken.None);
        var (result, _) = await new ClusterUp(session, new ConsoleUpProgress(TextWriter.Null)).RunAsync(TimeSpan.Zero, CancellationToken.None);
        return result;
    }

    /// <summary>As DestroyCommand does it: nothing is launched, so no image and no bootstrap are needed.</summary>
    public static async Task<ApplyResult> DestroyAsync(ClusterSpec spec, IAwsCallObserver calls)
    {
        using var session = await ClusterProviders.OpenAsync(spec, new ProviderOptions { AwsCalls = calls }, CancellationToken.None);
        var (_, result) = await ClusterDestroy.RunAsync(session, new SilentProgress(), CancellationToken.None);
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
