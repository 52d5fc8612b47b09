using Kubes.Protos.Contract;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Controller.Coordinator;

/// <summary>What each role downloads: the mirror's copy when the cluster has one, else the upstream release.</summary>
public sealed class RoleArtifacts(IReadOnlyDictionary<string, MirroredArtifact> mirror, IArtifactUrls urls)
{
    public IEnumerable<Artifact> For(InstanceRole role) => role switch
    {
        InstanceRole.Etcd => [Resolve(ArtifactNames.Etcd, UpstreamArtifacts.Etcd)],
        _ => [],
    };

    private Artifact Resolve(string name, Artifact upstream) =>
        mirror.TryGetValue(name, out var mirrored)
            ? new Artifact { Name = name, Version = mirrored.Version, Urls = { urls.UrlOf(mirrored) }, Sha256 = mirrored.Sha256 }
            : upstream;
}
