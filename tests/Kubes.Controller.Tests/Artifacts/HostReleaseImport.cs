using Kubes.Controller.Artifacts;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Protos.Contract;

namespace Kubes.Controller.Tests.Artifacts;

/// <summary>
/// What an air-gapped operator does for the releases this machine has (etcd; a node's containerd, runc and CNI plugins):
/// each file in its upstream layout and a SHA256SUMS beside them in a folder, then <c>kubes artifacts import</c>'s use case.
/// </summary>
internal static class HostReleaseImport
{
    /// <summary>A mirror site nothing listens on: pinning fails at once (there is no network here) and the import provides the rest.</summary>
    public const string UnreachableSite = "https://127.0.0.1:1/";

    /// <summary>Every release this machine's packages provide.</summary>
    public static readonly IReadOnlyList<string> Names = [ArtifactNames.Etcd, ArtifactNames.Containerd, ArtifactNames.Runc, ArtifactNames.CniPlugins];

    public static async Task<string> BundleAsync(string folder, string kubernetesVersion, CancellationToken cancellationToken,
        IReadOnlyList<string>? names = null)
    {
        Directory.CreateDirectory(folder);
        var sums = new List<(string File, string Sha256)>();
        foreach (var name in names ?? Names)
        {
            var packed = await HostPackagePacker.PackAsync(ArtifactCatalogue.Entry(kubernetesVersion, name), CpuArchitecture.Amd64,
                cancellationToken);
            await File.WriteAllBytesAsync(Path.Join(folder, packed.FileName), packed.Content, cancellationToken);
            sums.Add((packed.FileName, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(packed.Content))));
        }
        await File.WriteAllTextAsync(Path.Join(folder, ArtifactImport.SumsFile), ChecksumFile.Write(sums), cancellationToken);
        return folder;
    }

    public static async Task IntoAsync(IStateStore store, ClusterSpec spec, string folder, CancellationToken cancellationToken)
    {
        await BundleAsync(folder, spec.KubernetesVersion, cancellationToken);
        var report = await new ArtifactImport(store, localProvider: false).ImportAsync(folder, spec.KubernetesVersion, CpuArchitecture.Amd64,
            replace: false, cancellationToken);
        Assert.True(report.Succeeded, string.Join("\n", report.Rows));
    }
}
