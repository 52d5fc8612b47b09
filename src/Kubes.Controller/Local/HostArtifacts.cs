using Kubes.Controller.Coordinator;
using Kubes.Protos.Contract;

namespace Kubes.Controller.Local;

/// <summary>The role artifacts the local provider takes from this machine's packages (it has no internet): etcd today.</summary>
public static class HostArtifacts
{
    public static async Task MirrorAsync(ArtifactMirror mirror, CancellationToken cancellationToken)
    {
        var etcd = await EtcdHostPackage.CreateAsync(cancellationToken);
        await mirror.PutAsync(ArtifactNames.Etcd, etcd.Version, etcd.FileName, etcd.Content, cancellationToken);
    }
}
