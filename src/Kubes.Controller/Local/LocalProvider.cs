using System.Net;
using Kubes.Controller.Providers;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Local;

/// <summary>
/// The local provider: this machine, each instance a process tree on a loopback address of the cluster's VPC, booted
/// from the same user-data as on AWS, answered by a <c>kubes serve</c> of its own that also serves instance metadata.
/// </summary>
public sealed class LocalProvider : IClusterProvider
{
    public static LocalProvider Instance { get; } = new();

    private LocalProvider()
    {
    }

    public ProviderKind Kind => ProviderKind.Local;

    /// <summary>The VPC's first address, which the instances reach.</summary>
    public IPEndPoint DefaultCoordinatorListen(ClusterTopology topology) => LocalServeDaemon.ListenFor(topology);

    public IReadOnlyList<DesiredResource> OfflineResources(ClusterTopology topology) => LocalClusterModel.Build(topology);

    public string? RefusalBeforeUp() => null;

    /// <summary>It changes only this machine.</summary>
    public bool UpNeedsConsent => false;

    public Task<IClusterSession> OpenAsync(ClusterSpec spec, ProviderOptions options, CancellationToken cancellationToken) =>
        Task.FromResult<IClusterSession>(new LocalClusterSession(ClusterTopology.From(spec), options.SpecFile));
}
