using System.Net;
using Kubes.Controller.Providers;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Local;

/// <summary>
/// The local provider: this machine, the cluster's VPC a bridge, each instance a process tree in a network namespace of
/// its own at its VPC address, booted from the same user-data as on AWS, answered by a <c>kubes serve</c> of its own on
/// the bridge that also serves instance metadata.
/// </summary>
public sealed class LocalProvider : IClusterProvider
{
    public static LocalProvider Instance { get; } = new();

    private LocalProvider()
    {
    }

    public ProviderKind Kind => ProviderKind.Local;

    /// <summary>The VPC's router address on the bridge, which the instances reach.</summary>
    public IPEndPoint DefaultCoordinatorListen(ClusterTopology topology) => LocalEndpoints.Of(topology).Coordinator;

    public IReadOnlyList<DesiredResource> OfflineResources(ClusterTopology topology) => LocalClusterModel.Build(topology);

    public string? RefusalBeforeUp() => null;

    /// <summary>It changes only this machine.</summary>
    public bool UpNeedsConsent => false;

    public Task<IClusterSession> OpenAsync(ClusterSpec spec, ProviderOptions options, CancellationToken cancellationToken) =>
        Task.FromResult<IClusterSession>(new LocalClusterSession(ClusterTopology.From(spec), options.SpecFile));
}
