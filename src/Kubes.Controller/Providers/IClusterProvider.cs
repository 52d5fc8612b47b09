using System.Net;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Providers;

/// <summary>
/// A place clusters run: AWS, or this machine. What Kubes knows of it before connecting anywhere (what <c>plan
/// --offline</c> shows, what stops or confirms an <c>up</c>), and how to open one cluster there
/// (<see cref="IClusterSession"/>). Commands and use cases ask these two; none of them asks which provider it is.
/// </summary>
public interface IClusterProvider
{
    ProviderKind Kind { get; }

    /// <summary>Where <c>kubes serve</c> listens for the agents' gRPC when <c>--listen</c> does not say.</summary>
    IPEndPoint DefaultCoordinatorListen(ClusterTopology topology);

    /// <summary>The resources of <paramref name="topology"/> as if none existed yet, with nothing looked up.</summary>
    IReadOnlyList<DesiredResource> OfflineResources(ClusterTopology topology);

    /// <summary>Why <c>kubes up</c> must not start, known before any call (null: nothing stands in its way).</summary>
    string? RefusalBeforeUp();

    /// <summary>Whether <c>kubes up</c> changes something beyond this machine, and so asks the operator first.</summary>
    bool UpNeedsConsent { get; }

    /// <summary>Connects to the provider for the cluster of <paramref name="spec"/>. Opening changes no resource of the cluster.</summary>
    Task<IClusterSession> OpenAsync(ClusterSpec spec, ProviderOptions options, CancellationToken cancellationToken);
}
