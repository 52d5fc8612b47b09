using System.Net;
using Kubes.Controller.Artifacts;
using Kubes.Controller.Channels;
using Kubes.Controller.Pki;
using Kubes.Controller.Providers;
using Kubes.Controller.Registrar;
using Kubes.Controller.Session;
using Microsoft.Extensions.Logging;

namespace Kubes.Controller.Operations.Serve;

/// <summary>
/// <c>kubes serve</c>: the coordinator as a long-running service. Agents join, get certificates and report over gRPC and
/// through the state store's mailbox; whatever else the provider's instances need (the local provider's instance
/// metadata) is served beside. Runs until cancelled.
/// </summary>
public sealed class CoordinatorService(IClusterSession session, ILoggerFactory loggers)
{
    /// <param name="listen">Where gRPC listens; null takes the provider's default.</param>
    /// <param name="poll">How often the mailbox is answered.</param>
    public async Task RunAsync(IPEndPoint? listen, TimeSpan poll, IServeProgress progress, CancellationToken cancellationToken)
    {
        listen ??= session.DefaultCoordinatorListen;
        using var http = HttpsArtifactSource.CreateClient();
        using var state = new CoordinatorState(session.Topology, session.Store,
            ArtifactPinning.For(session.Topology.Spec, session.Store, http, session.UsesHostPackages),
            apiEndpoint: session.FindApiEndpointAsync);
        var loaded = await state.GetAsync(cancellationToken);
        foreach (var line in loaded.Artifacts.Lines) await progress.NoteAsync(line);
        using var certificate = await ServingCertificateAsync(loaded, listen.Address, cancellationToken);
        var registrar = await state.RegistrarOptionsAsync(session.Directory, session.ArtifactUrls, session.CallerIdentity, loggers,
            cancellationToken);
        await using var host = await RegistrarHost.StartAsync(registrar with
        {
            GrpcListen = listen,
            ServingCertificate = () => certificate.Current,
            WatcherCa = loaded.Pki.Kubernetes.Certificate,
            PollInterval = poll,
        }, cancellationToken);

        var instances = session.ServeInstancesAsync(loggers, cancellationToken);
        await progress.ServingAsync(new ServingCoordinator(session.Topology.Spec.Name, host.GrpcAddress, session.StateDescription,
            session.InstanceServices));
        try
        {
            // The instances' services and the serving certificate's renewal run until cancelled (the instances' end at once
            // where there are none); a failure of either ends serve instead of leaving it half alive.
            var running = new List<Task> { instances, certificate.RunAsync(cancellationToken) };
            var forever = Task.Delay(Timeout.Infinite, cancellationToken);
            while (true)
            {
                var done = await Task.WhenAny([.. running, forever]);
                await done;
                running.Remove(done);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Its own serving certificate, renewed while it runs, each one in the issuance record.</summary>
    private Task<CoordinatorServingCertificate> ServingCertificateAsync(CoordinatorState.Loaded loaded, IPAddress address,
        CancellationToken cancellationToken)
    {
        var record = new IssuanceRecord(session.Store);
        var identity = CoordinatorCertificate.IdentityFor(loaded.Policy, address, []).Name;
        return CoordinatorServingCertificate.IssueAsync(
            () => CoordinatorCertificate.Issue(loaded.Pki, loaded.Policy, address, []),
            (issued, ct) => record.RecordAsync(
                IssuedCertificateEntry.Of(IssuanceRecord.CoordinatorHolder, "kubes serve", identity, issued, TimeProvider.System.GetUtcNow()), ct),
            TimeProvider.System, loggers.CreateLogger<CoordinatorServingCertificate>(), cancellationToken);
    }
}
