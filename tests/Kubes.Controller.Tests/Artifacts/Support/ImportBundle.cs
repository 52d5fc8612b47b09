using Kubes.Controller.Artifacts;

namespace Kubes.Controller.Tests.Artifacts.Support;

/// <summary>A folder as an operator brings it to 'kubes artifacts import': files and a SHA256SUMS listing them.</summary>
internal static class ImportBundle
{
    /// <param name="files">Each file's path in the folder (as SHA256SUMS lists it) and its bytes.</param>
    /// <param name="listedSha256">The digest SHA256SUMS gives a file, where it is not the file's own.</param>
    public static string Write(string folder, IEnumerable<(string Listed, byte[] Content)> files, IReadOnlyDictionary<string, string>? listedSha256 = null)
    {
        Directory.CreateDirectory(folder);
        var sums = new List<(string, string)>();
        foreach (var (listed, content) in files)
        {
            var path = Path.Join(folder, listed);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
            sums.Add((listed, listedSha256?.GetValueOrDefault(listed) ?? FakeRelease.Sha256Of(content)));
        }
        File.WriteAllText(Path.Join(folder, ArtifactImport.SumsFile), ChecksumFile.Write(sums));
        return folder;
    }

    /// <summary>Stand-ins for the six Kubernetes binaries of one version and architecture, named as dl.k8s.io names them.</summary>
    public static IEnumerable<(string Listed, byte[] Content)> KubernetesStandIns(string version, string arch, string build = "1") =>
        ArtifactCatalogue.For(version).Where(e => !e.NameCarriesVersion && !e.NameCarriesArch && e.Layout.Packing != ArtifactPacking.Manifest)
            .Select(e => (e.FileNameFor(arch), FakeRelease.Content(e, version, arch, build)));
}
