using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Artifacts;
using Kubes.Controller.Aws;
using Kubes.Controller.Aws.Handlers;
using Kubes.Controller.Aws.Query;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Channels;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Registrar;
using Kubes.Controller.State;
using Kubes.Controller.Status;
using Microsoft.Extensions.Logging;

namespace Kubes.Controller.Coordinator;

/// <summary>
/// <c>kubes up</c> on AWS: reconcile the cloud resources, then answer the agents through the S3 mailbox until the
/// cluster settles or the wait runs out. Running it again changes nothing and only waits.
/// </summary>
public sealed class AwsClusterUp(ClusterSession session, TextWriter output, ILoggerFactory loggers)
{
    /// <summary>Presigned URLs in user-data must outlive a slow boot; instances that miss it are relaunched by 'up'.</summary>
    public static readonly TimeSpan AgentUrlLifetime = TimeSpan.FromHours(6);

    public async Task<(ApplyResult Result, IReadOnlyList<SlotStatus> Slots)> RunAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var aws = session.Aws ?? throw new InvalidOperationException("an AWS session is needed");
        var s3Location = S3StateLocation.Parse(session.S3!.ToString());
        using var http = HttpsArtifactSource.CreateClient();
        using var state = new CoordinatorState(session.Topology, session.Store, ArtifactPinning.For(session.Spec, session.Store, http));
        var urls = new S3ArtifactUrls(aws.S3, s3Location, AgentUrlLifetime);
        var image = await AwsImageResolver.ResolveAsync(aws.Ec2, session.Spec, cancellationToken);
        var bootstrap = new DeferredBootstrap(async ct =>
        {
            var loaded = await state.GetAsync(ct);
            return new AgentBootstrap(session.Topology, state.Tokens, loaded.Agent, urls,
                new CoordinatorEndpoint("", CoordinatorCertificate.PinOf(loaded.Pki.Kubernetes.Certificate),
                    Convert.ToBase64String(loaded.Pki.Kubernetes.Certificate.RawData)),
                MailboxOf(aws, s3Location), AgentBootstrap.DefaultTokenLifetime, sts: StsOf(aws));
        });

        await output.WriteLineAsync($"Applying cluster {session.Spec.Name} in {session.Spec.Region} (state: {session.StateDescription}):");
        var reconciler = new ClusterReconciler(AwsHandlers.For(aws, session.Spec.Name, session.S3!, image, bootstrap),
            AwsTransientErrors.Classify);
        var (plan, result) = await reconciler.ApplyAsync(AwsClusterModel.Build(session.Topology, session.S3!),
            new Cli.Rendering.ConsoleApplyProgress(output), cancellationToken);
        await output.WriteLineAsync(plan.IsEmpty
            ? "Infrastructure: nothing to change."
            : $"Infrastructure: {result.Applied} of {plan.Changes.Count} changes applied.");
        if (!result.Succeeded) return (result, []);

        var loaded = await state.GetAsync(cancellationToken);
        foreach (var line in loaded.Artifacts.Lines) await output.WriteLineAsync(line);
        var roleArtifacts = new RoleArtifacts(loaded.Artifacts, urls, ArtifactSite.Of(session.Spec));
        await using var host = await RegistrarHost.StartAsync(new RegistrarHostOptions(session.Topology, session.Store,
            new Ec2InstanceDirectory(aws.Ec2), new PolicyCertificateIssuer(loaded.Pki, loaded.Policy))
        {
            RoleConfigs = new TopologyRoleConfigSource(session.Topology, roleArtifacts.For),
            CallerIdentity = SessionCallerIdentity.For(session),
            Loggers = loggers,
        }, cancellationToken);
        await output.WriteLineAsync($"Answering agents through the mailbox in {session.StateDescription} (up to {wait.TotalMinutes:0} min):");
        var slots = await new AgentWaiter(session.Topology, _ => Task.FromResult(host.Status.Snapshot()), Cli.Rendering.AgentStatusViews.For(output),
            TimeSpan.FromSeconds(1)).WaitAsync(wait, cancellationToken);
        return (result, slots);
    }

    private static StsProofEndpoint StsOf(AwsCloudClients aws)
    {
        var endpoint = aws.Environment.EndpointFor(AwsService.Sts);
        return new StsProofEndpoint(endpoint.Url.ToString(), endpoint.SigningRegion);
    }

    private static MailboxEndpoint MailboxOf(AwsCloudClients aws, S3StateLocation location)
    {
        var endpoint = aws.Environment.EndpointFor(AwsService.S3);
        return new MailboxEndpoint(location.Bucket, location.Prefix.TrimEnd('/'), aws.Environment.Region,
            endpoint.IsConfigured ? endpoint.Url.ToString() : "");
    }
}
