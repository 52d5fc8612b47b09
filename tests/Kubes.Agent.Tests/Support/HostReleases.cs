using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Support;

/// <summary>
/// This machine's Debian containerd, runc and CNI plugins laid out as their upstream releases are (the way the local
/// provider packs them), served by a loopback mirror as artifacts with their SHA-256.
/// </summary>
public sealed class HostReleases : IAsyncDisposable
{
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly LoopbackHttpServer _mirror;

    private HostReleases()
    {
        _mirror = new LoopbackHttpServer(request => Task.FromResult(
            _files.TryGetValue(request.Url!.AbsolutePath.TrimStart('/'), out var bytes) ? (200, bytes) : (404, Array.Empty<byte>())));
    }

    public Artifact Containerd { get; private set; } = null!;
    public Artifact Runc { get; private set; } = null!;
    public Artifact CniPlugins { get; private set; } = null!;

    public static async Task<HostReleases> PackAsync()
    {
        var releases = new HostReleases();
        releases.Containerd = releases.Serve(ArtifactNames.Containerd, "1.6.20", "containerd-1.6.20-linux-amd64.tar.gz",
            await TarGzAsync([("/usr/bin/containerd", "bin/containerd"), ("/usr/bin/containerd-shim-runc-v2", "bin/containerd-shim-runc-v2"),
                ("/usr/bin/ctr", "bin/ctr")]));
        releases.Runc = releases.Serve(ArtifactNames.Runc, "1.1.5", "runc.amd64", await File.ReadAllBytesAsync("/usr/sbin/runc"));
        releases.CniPlugins = releases.Serve(ArtifactNames.CniPlugins, "1.1.1", "cni-plugins-linux-amd64-v1.1.1.tgz",
            await TarGzAsync([.. new[] { "bridge", "host-local", "loopback", "portmap" }.Select(p => ($"/usr/lib/cni/{p}", p))]));
        return releases;
    }

    private Artifact Serve(string name, string version, string file, byte[] content)
    {
        _files[file] = content;
        return new Artifact
        {
            Name = name, Version = version, Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
            Urls = { new Uri(_mirror.BaseAddress, file).AbsoluteUri },
        };
    }

    private static async Task<byte[]> TarGzAsync(IReadOnlyList<(string Source, string Entry)> files)
    {
        using var buffer = new MemoryStream();
        await using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (source, entry) in files) await tar.WriteEntryAsync(source, entry);
        }
        return buffer.ToArray();
    }

    public ValueTask DisposeAsync() => _mirror.DisposeAsync();
}
