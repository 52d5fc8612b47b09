using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Controller.Coordinator;

/// <summary>
/// Upstream releases instances may download when the cluster's mirror holds no copy. The SHA-256 is that of the
/// published file; an instance refuses anything else.
/// </summary>
public static class UpstreamArtifacts
{
    public const string EtcdVersion = "3.5.6";

    /// <summary>etcd's release tarball; the digest is the one public build manifests record for this file (this
    /// machine has no internet to re-check it: an instance that gets other bytes refuses them and reports it).</summary>
    public static Artifact Etcd => new()
    {
        Name = ArtifactNames.Etcd,
        Version = EtcdVersion,
        Urls = { $"https://github.com/etcd-io/etcd/releases/download/v{EtcdVersion}/etcd-v{EtcdVersion}-linux-amd64.tar.gz" },
        Sha256 = "4db32e3bc06dd0999e2171f76a87c1cffed8369475ec7aa7abee9023635670fb",
    };
}
