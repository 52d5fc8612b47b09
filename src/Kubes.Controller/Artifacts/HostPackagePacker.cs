using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.RegularExpressions;

namespace Kubes.Controller.Artifacts;

/// <summary>A host package is not installed (or lacks a file); the message names the apt-get command that fixes it.</summary>
public sealed class HostPackageMissingException(string message) : Exception(message);

/// <summary>
/// Makes a catalogue entry's file from this machine's Debian packages, in the entry's upstream layout (etcd:
/// etcd-v&lt;version&gt;-linux-&lt;arch&gt;/{etcd,etcdctl} in a .tar.gz). It is how the local provider, which has no internet,
/// runs real programs. Packing is reproducible: the same installed files always give the same bytes, hence the same
/// digest and mirror key.
/// </summary>
public static partial class HostPackagePacker
{
    public sealed record Packed(string Version, string FileName, byte[] Content, string Evidence);

    /// <summary>The time every entry carries (that of SOURCE_DATE_EPOCH=0 builds), whatever the files' own.</summary>
    public static readonly DateTimeOffset ReproducibleTime = DateTimeOffset.UnixEpoch;

    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
                                            | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public static Task<Packed> PackAsync(CatalogueEntry entry, string arch, CancellationToken cancellationToken) =>
        PackAsync(entry.HostPackage ?? throw new InvalidOperationException($"{entry.Name} has no host package in the catalogue"),
            entry.Layout, version => entry.FileNameFor(version, arch), arch, cancellationToken);

    public static Task<Packed> PackAsync(DistributionEntry entry, string arch, CancellationToken cancellationToken) =>
        PackAsync(entry.HostPackage, entry.Layout, version => entry.FileNameFor(version, arch), arch, cancellationToken);

    /// <param name="fileNameFor">The packed file's name for the version of the first package.</param>
    private static async Task<Packed> PackAsync(HostPackage package, ArtifactLayout layout, Func<string, string> fileNameFor,
        string arch, CancellationToken cancellationToken)
    {
        var versions = new List<(string Package, string Version)>();
        foreach (var name in package.DebianPackages)
            versions.Add((name, await InstalledVersionAsync(name, package, cancellationToken)));
        foreach (var file in package.Files.Where(f => !File.Exists(f.Path)))
            throw new HostPackageMissingException(
                $"{file.Path} is missing although {file.DebianPackage} is installed; reinstall it: apt-get install --reinstall {file.DebianPackage}");

        var version = UpstreamVersion(versions[0].Version);
        var fileName = fileNameFor(version);
        var content = layout.Packing == ArtifactPacking.Program
            ? await File.ReadAllBytesAsync(package.Files.Single(f => f.Program == layout.Programs[0]).Path, cancellationToken)
            : await TarGzAsync(CatalogueEntry.Expand(layout.Folder, version, arch), package.Files, cancellationToken);
        return new Packed(version, fileName, content, string.Join(", ", versions.Select(v => $"{v.Package} {v.Version}")));
    }

    /// <summary>The upstream release a Debian version is of: no epoch, no Debian revision, no repack suffix.</summary>
    public static string UpstreamVersion(string debianVersion) =>
        DebianVersion().Match(debianVersion) is { Success: true } match
            ? match.Groups["upstream"].Value
            : throw new FormatException($"'{debianVersion}' is not a Debian version of a release major.minor[.patch]");

    private static async Task<byte[]> TarGzAsync(string folder, IReadOnlyList<HostFile> files, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var file in files)
            {
                // Only what the bytes of the input decide: a fixed time, owner and mode, no per-run metadata (a
                // ustar header has no access or change times).
                var entry = new UstarTarEntry(TarEntryType.RegularFile, folder.Length == 0 ? file.Program : $"{folder}/{file.Program}")
                {
                    Mode = Executable,
                    ModificationTime = ReproducibleTime,
                    Uid = 0,
                    Gid = 0,
                    UserName = "root",
                    GroupName = "root",
                };
                await using var content = File.OpenRead(file.Path);
                entry.DataStream = content;
                await tar.WriteEntryAsync(entry, cancellationToken);
            }
        }
        return buffer.ToArray();
    }

    private static async Task<string> InstalledVersionAsync(string debianPackage, HostPackage package, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dpkg-query") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-W", "-f=${db:Status-Status} ${Version}", debianPackage }) start.ArgumentList.Add(argument);
        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new HostPackageMissingException(
                $"the local provider takes {debianPackage} from this machine's Debian packages, but dpkg-query cannot run ({e.Message})");
        }
        using (process)
        {
            var output = await process!.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            var parts = output.Trim().Split(' ', 2);
            if (process.ExitCode != 0 || parts.Length != 2 || parts[0] != "installed")
                throw new HostPackageMissingException(
                    $"{debianPackage} is not installed on this machine, and the local provider runs this machine's programs: " +
                    $"{package.InstallCommand} (or run scripts/install-test-deps.sh)");
            return parts[1];
        }
    }

    [GeneratedRegex(@"^(?:[0-9]+:)?(?<upstream>[0-9]+(?:\.[0-9]+)+)")]
    private static partial Regex DebianVersion();
}
