using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.RegularExpressions;

namespace Kubes.Controller.Coordinator;

/// <summary>
/// An etcd release tarball (etcd-v&lt;version&gt;-linux-amd64/{etcd,etcdctl}, the upstream layout) made from the etcd
/// installed on this machine (Debian's etcd-server and etcd-client). It is how the local provider, which has no
/// internet, gets real etcd into its mirror; AWS clusters take the upstream release or an imported one.
/// </summary>
public static partial class EtcdHostPackage
{
    public sealed record Package(string Version, string FileName, byte[] Content);

    /// <summary>The time every entry carries (that of SOURCE_DATE_EPOCH=0 builds), whatever the files' own.</summary>
    public static readonly DateTimeOffset ReproducibleTime = DateTimeOffset.UnixEpoch;

    public static async Task<Package> CreateAsync(CancellationToken cancellationToken)
    {
        var etcd = Which("etcd");
        var etcdctl = Which("etcdctl");
        var version = await VersionOfAsync(etcd, cancellationToken);
        var folder = $"etcd-v{version}-linux-amd64";
        using var buffer = new MemoryStream();
        await using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (name, path) in new[] { ("etcd", etcd), ("etcdctl", etcdctl) })
            {
                // Only what the bytes of the input decide: a fixed time, owner and mode, no per-run metadata (a
                // ustar header has no access or change times), so the same etcd always packs to the same archive.
                var entry = new UstarTarEntry(TarEntryType.RegularFile, $"{folder}/{name}")
                {
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
                           | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
                    ModificationTime = ReproducibleTime,
                    Uid = 0,
                    Gid = 0,
                    UserName = "root",
                    GroupName = "root",
                };
                await using var content = File.OpenRead(path);
                entry.DataStream = content;
                await tar.WriteEntryAsync(entry, cancellationToken);
            }
        }
        return new Package(version, $"{folder}.tar.gz", buffer.ToArray());
    }

    private static string Which(string program)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var candidate = Path.Combine(folder, program);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException(
            $"{program} is not installed on this machine; the local provider runs this machine's etcd: " +
            "apt-get install etcd-server etcd-client (or run scripts/install-test-deps.sh)");
    }

    private static async Task<string> VersionOfAsync(string etcd, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo(etcd, "--version") { RedirectStandardOutput = true })
                            ?? throw new InvalidOperationException($"could not run {etcd} --version");
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var match = VersionLine().Match(output);
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException($"{etcd} --version printed no version: {output}");
    }

    [GeneratedRegex(@"etcd Version: (\d+\.\d+\.\d+)")]
    private static partial Regex VersionLine();
}
