using System.Net;
using System.Runtime.Versioning;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Bootstrap;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Local;

/// <summary>
/// This machine as a cloud, for one cluster: where its instances live (<c>&lt;state&gt;/instances/&lt;slot&gt;</c>), where
/// their metadata is served (<c>http://&lt;instance ip&gt;:&lt;port&gt;/</c>), the registry and directory over them, and the
/// reconciler's handler for them.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class LocalCloud
{
    public LocalCloud(string cluster, string stateFolder, int metadataPort = LocalMetadataService.DefaultPort,
        TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(cluster);
        ArgumentOutOfRangeException.ThrowIfLessThan(metadataPort, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(metadataPort, 65535);
        Cluster = cluster;
        StateFolder = Path.GetFullPath(stateFolder);
        MetadataPort = metadataPort;
        Time = time ?? TimeProvider.System;
        Registry = new LocalInstanceRegistry(StateFolder, Time);
        Directory = new LocalInstanceDirectory(Registry);
    }

    public string Cluster { get; }
    public string StateFolder { get; }
    public int MetadataPort { get; }
    public TimeProvider Time { get; }

    /// <summary>How long a stopping instance's processes get after SIGTERM before SIGKILL.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(10);

    public LocalInstanceRegistry Registry { get; }
    public LocalInstanceDirectory Directory { get; }

    /// <summary>The folder that holds every instance's root folder.</summary>
    public string InstancesFolder => Path.Join(StateFolder, "instances");

    public string RootFolderOf(InstanceSlot slot) => Path.Join(InstancesFolder, slot.Name);

    public Uri MetadataEndpointOf(IPAddress address) => new($"http://{address}:{MetadataPort}/");

    public IReadOnlyDictionary<string, string> TagsOf(ResourceKey key, InstanceSlot slot) => ClusterTags.For(Cluster, key, slot);

    /// <summary>The reconciler's handler for <c>local-instance</c> resources (<see cref="LocalClusterModel"/>).</summary>
    public IResourceHandler InstanceHandler(IInstanceBootstrap bootstrap, ILocalMetadataPublisher publisher) =>
        new LocalInstanceHandler(this, bootstrap, publisher);
}
