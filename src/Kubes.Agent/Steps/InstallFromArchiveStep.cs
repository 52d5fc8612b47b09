using Kubes.Agent.Artifacts;
using Kubes.Agent.FileSystem;

namespace Kubes.Agent.Steps;

/// <summary>
/// Unpack a verified .tar.gz and install the named programs from it (found anywhere in the archive) into
/// the bin folder; done when every installed program is byte-for-byte the one in the unpacked archive.
/// </summary>
public sealed class InstallFromArchiveStep(
    string name, string archive, string archiveSha256, string unpackDirectory, string binDirectory, IReadOnlyList<string> programs)
    : IInstallStep
{
    public string Name => name;

    public string InputHash => FileHash.OfInputs([archiveSha256.ToLowerInvariant(), binDirectory, .. programs]);

    public async Task<bool> IsDoneAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(unpackDirectory))
        {
            return false;
        }

        foreach (var program in programs)
        {
            var source = Find(program);
            var installed = await FileHash.Sha256Async(Path.Join(binDirectory, program), cancellationToken);
            if (source is null || installed is null || installed != await FileHash.Sha256Async(source, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        await TarGzExtractor.ExtractAsync(archive, unpackDirectory, cancellationToken);
        foreach (var program in programs)
        {
            var source = Find(program) ?? throw new FileNotFoundException(
                $"the archive {archive} has no file named {program}: the artifact is not the expected release");
            AtomicFile.Install(source, Path.Join(binDirectory, program), AtomicFile.Executable);
        }
    }

    /// <summary>The shallowest regular file with that name (release archives nest one folder deep).</summary>
    private string? Find(string program) =>
        Directory.Exists(unpackDirectory)
            ? Directory.EnumerateFiles(unpackDirectory, program, SearchOption.AllDirectories)
                .OrderBy(p => p.Count(c => c == '/')).ThenBy(p => p, StringComparer.Ordinal)
                .FirstOrDefault()
            : null;
}
