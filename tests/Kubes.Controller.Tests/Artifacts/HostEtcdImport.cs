using Kubes.Controller.Artifacts;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Protos.Contract;

namespace Kubes.Controller.Tests.Artifacts;

/// <summary>
/// What an air-gapped operator does for etcd, with this machine's etcd as the release: the file in the upstream layout
/// and a SHA256SUMS beside it in a folder, then <c>kubes artifacts import</c>'s use case.
/// </summary>
internal static class HostEtcdImport
{
    /// <summary>A mirror site nothing listens on: pinning fails at once (there is no network here) and the import provides etcd.</summary>
    public const string UnreachableSite = "https://127.0.0.1:1/";

    public static async Task<string> BundleAsync(string folder, string kubernetesVersion, CancellationToken cancellationToken)
    {
        var packed = await HostPackagePacker.PackAsync(ArtifactCatalogue.Entry(kubernetesVersion, ArtifactNames.Etcd),
            CpuArchitecture.Amd64, cancellationToken);
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Join(folder, packed.FileName), packed.Content, cancellationToken);
        await File.WriteAllTextAsync(Path.Join(folder, ArtifactImport.SumsFile),
            ChecksumFile.Write([(packed.FileName, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(packed.Content)))]),
            cancellationToken);
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
