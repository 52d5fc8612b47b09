using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Kubes.Controller.Artifacts;

namespace Kubes.Controller.Tests.Artifacts.Support;

/// <summary>
/// A release of every catalogue artifact for one Kubernetes version, made of test bytes (no real program here) but
/// laid out and summed exactly as each project publishes: bare digests, sha256sum lines, a release-wide SHA256SUMS,
/// runc's clear-signed runc.sha256sum.
/// </summary>
public sealed class FakeRelease
{
    private FakeRelease(string kubernetesVersion, Dictionary<(string Name, string Arch), byte[]> files)
    {
        KubernetesVersion = kubernetesVersion;
        Files = files;
    }

    public string KubernetesVersion { get; }
    public IReadOnlyDictionary<(string Name, string Arch), byte[]> Files { get; }

    public IReadOnlyList<CatalogueEntry> Entries => ArtifactCatalogue.For(KubernetesVersion);

    public static FakeRelease For(string kubernetesVersion, string build = "1")
    {
        var files = new Dictionary<(string, string), byte[]>();
        foreach (var entry in ArtifactCatalogue.For(kubernetesVersion))
        foreach (var arch in CpuArchitecture.All)
            files[(entry.Name, arch)] = Content(entry, entry.Version, arch, build);
        return new FakeRelease(kubernetesVersion, files);
    }

    /// <summary>A stand-in file with the entry's layout: a script, or a tar.gz holding a script per program.</summary>
    public static byte[] Content(CatalogueEntry entry, string version, string arch, string build = "1")
    {
        if (entry.Layout.Packing == ArtifactPacking.Program)
            return Encoding.UTF8.GetBytes($"#!/bin/sh\necho 'test stand-in {entry.Name} {version} {arch} build {build}'\n");
        // One file for every architecture, as a project publishes a manifest.
        if (entry.Layout.Packing == ArtifactPacking.Manifest)
            return Encoding.UTF8.GetBytes($"# test manifest {entry.Name} {version} build {build}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: test\n");
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            var folder = CatalogueEntry.Expand(entry.Layout.Folder, version, arch);
            foreach (var program in entry.Layout.Programs.Append("README.md"))
            {
                var item = new PaxTarEntry(TarEntryType.RegularFile, folder.Length == 0 ? $"./{program}" : $"{folder}/{program}")
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes($"#!/bin/sh\necho 'test stand-in {program} {version} {arch} build {build}'\n")),
                };
                tar.WriteEntry(item);
            }
        }
        return buffer.ToArray();
    }

    public static string Sha256Of(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public string Sha256(string name, string arch) => Sha256Of(Files[(name, arch)]);

    /// <summary>Every file and checksum file, at the paths the site serves for their upstream URLs.</summary>
    public void PublishTo(ReleaseSite site)
    {
        foreach (var entry in Entries)
        {
            foreach (var arch in CpuArchitecture.All) site.Publish(entry.UrlFor(arch), Files[(entry.Name, arch)]);
            foreach (var (url, text) in ChecksumFiles(entry)) site.Publish(url, Encoding.UTF8.GetBytes(text));
        }
    }

    /// <summary>The checksum files of one entry, in its project's format.</summary>
    public IEnumerable<(Uri Url, string Text)> ChecksumFiles(CatalogueEntry entry)
    {
        var sums = CpuArchitecture.All.Select(arch => (entry.FileNameFor(arch), Sha256(entry.Name, arch))).ToList();
        if (entry.Checksum is null) return []; // a manifest: its project publishes none
        switch (entry.Checksum.Format)
        {
            case ChecksumFormat.BareDigest:
                // dl.k8s.io and crictl: the digest alone, without a newline.
                return CpuArchitecture.All.Select(arch => (entry.ChecksumUrlFor(arch), Sha256(entry.Name, arch)));
            case ChecksumFormat.Sha256Sum when entry.Checksum.UrlPattern.StartsWith("{url}", StringComparison.Ordinal):
                // containerd, CNI plugins: one sha256sum line per file.
                return CpuArchitecture.All.Select(arch => (entry.ChecksumUrlFor(arch), ChecksumFile.Write([sums[CpuArchitecture.All.ToList().IndexOf(arch)]])));
            case ChecksumFormat.Sha256Sum:
                // etcd: one SHA256SUMS for the release, other platforms' files too.
                return [(entry.ChecksumUrlFor(CpuArchitecture.Amd64), ChecksumFile.Write(
                    sums.Append(($"etcd-v{entry.Version}-darwin-arm64.zip", new string('d', 64))).OrderBy(s => s.Item1, StringComparer.Ordinal)))];
            default:
                // runc: every runc.<arch> and the source tarball, clear-signed in place.
                var text = ChecksumFile.Write(sums.Append(($"runc-{entry.Version}.tar.xz", new string('e', 64))));
                return [(entry.ChecksumUrlFor(CpuArchitecture.Amd64), ClearSigned(text))];
        }
    }

    /// <summary>An OpenPGP clear-signed message as gpg --clearsign writes it (the signature block is test bytes).</summary>
    public static string ClearSigned(string text) =>
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" + text
        + "-----BEGIN PGP SIGNATURE-----\n\niHUEARYKAB0WIQTestSignatureBytesOnlyForTestsAAAAAAAAAAAAAAA=\n=abcd\n-----END PGP SIGNATURE-----\n";
}
