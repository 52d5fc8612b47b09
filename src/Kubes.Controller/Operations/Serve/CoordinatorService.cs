using System.Net;
using Kubes.Controller.Artifacts;
using Kubes.Controller.Channels;
using Kubes.Controller.Pki;
using Kubes.Controller.Providers;
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
            ArtifactPinning.For(session.Topology.Spec, session.Store, http, session.UsesHostPackages));
        var loaded = await state.GetAsync(cancellationToken);
        foreach (var line in loaded.Artifacts.Lines) await progress.NoteAsync(line);
        using var certificate = CoordinatorCertificate.Issue(loaded.Pki, loaded.Policy, listen.Address, []);
        var registrar = await state.RegistrarOptionsAsync(session.Directory, session.ArtifactUrls, session.CallerIdentity, loggers,
            cancellationToken);
        await using var host = await RegistrarHost.StartAsync(registrar with
        {
            GrpcListen = listen,
            ServingCertificate = certificate,
            WatcherCa = loaded.Pki.Kubernetes.Certificate,
            PollInterval = poll,
        }, cancellationToken);

        var instances = session.ServeInstancesAsync(loggers, cancellationToken);
        await progress.ServingAsync(new ServingCoordinator(session.Topology.Spec.Name, host.GrpcAddress, session.StateDescription,
            session.InstanceServices));
        try
        {
            // The instances' services run until cancelled (or end at once where there are none); their failure ends serve.
            await instances;
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
