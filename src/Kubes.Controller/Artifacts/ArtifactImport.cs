using System.Security.Cryptography;
using Kubes.Controller.Spec;
using Kubes.Controller.State;

namespace Kubes.Controller.Artifacts;

/// <summary>
/// <c>kubes artifacts import DIR</c>: files an operator brought (an air-gapped site's releases, or test stand-ins)
/// become the cluster's artifacts for one Kubernetes version and architecture. <c>DIR/SHA256SUMS</c> (sha256sum
/// format) lists them; each listed file is matched to its catalogue entry by name (<c>kube-apiserver</c>,
/// <c>etcd-v3.6.14-linux-amd64.tar.gz</c>, ...: the version and architecture a name carries are taken from it, a path
/// like <c>bin/linux/arm64/kubelet</c> gives the architecture of a bare program), verified (digest, and an archive's
/// programs), and only when every file passes are they stored in the mirror and pinned. A pin of other bytes is
/// kept unless <c>replace</c> says otherwise.
/// </summary>
/// <param name="cni">The pod network the cluster runs: the other's manifest is not reported missing; null reports both.</param>
public sealed class ArtifactImport(IStateStore store, bool localProvider, TimeProvider? clock = null, CniKind? cni = null)
{
    public const string SumsFile = "SHA256SUMS";

    private readonly ArtifactPinStore _pins = new(store);
    private readonly ArtifactMirror _mirror = new(store);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<ArtifactReport> ImportAsync(string directory, string kubernetesVersion, string arch, bool replace,
        CancellationToken cancellationToken)
    {
        var version = ArtifactCatalogue.Normalize(kubernetesVersion);
        var listing = await ReadSumsAsync(directory, cancellationToken);
        var existing = await _pins.LoadAsync(version, arch, cancellationToken);
        var rows = new List<ArtifactReportRow>();
        var accepted = new List<(ArtifactPin Pin, byte[] Content, ArtifactOutcome Outcome)>();
        foreach (var line in listing)
        {
            var (entry, fileVersion, fileArch) = Match(version, line.Name, arch);
            if (entry is null)
            {
                rows.Add(new(Path.GetFileName(line.Name), "", fileArch ?? "", line.Name, line.Sha256, ArtifactOutcome.Ignored,
                    $"not a file of the artifact catalogue for Kubernetes {version} (names: docs/artifacts.md)"));
                continue;
            }
            ArtifactReportRow Row(ArtifactOutcome outcome, string detail) =>
                new(entry.Name, fileVersion, fileArch ?? arch, line.Name, line.Sha256, outcome, detail);
            if (fileArch is not null && fileArch != arch)
            {
                rows.Add(Row(ArtifactOutcome.Ignored, $"for linux/{fileArch}; import it with --arch {fileArch}"));
                continue;
            }
            if (localProvider && entry.HostPackage is not null)
            {
                rows.Add(Row(ArtifactOutcome.Ignored, $"the local provider takes {entry.Name} from this machine ({entry.HostPackage.InstallCommand})"));
                continue;
            }
            var path = Path.Join(directory, ChecksumFile.NameOf(line.Name));
            if (!File.Exists(path))
            {
                rows.Add(Row(ArtifactOutcome.Failed, $"{SumsFile} lists it, but {path} does not exist"));
                continue;
            }
            var content = await File.ReadAllBytesAsync(path, cancellationToken);
            var actual = Convert.ToHexStringLower(SHA256.HashData(content));
            if (actual != line.Sha256)
            {
                rows.Add(Row(ArtifactOutcome.Failed, $"its SHA-256 is {actual}, but {SumsFile} line {line.Line} says {line.Sha256}: refused"));
                continue;
            }
            if (ArtifactLayoutCheck.ProblemWith(entry, fileVersion, arch, content) is { } problem)
            {
                rows.Add(Row(ArtifactOutcome.Failed, $"{problem}; {entry.Name} is {entry.Layout.Describe(fileVersion, arch)}"));
                continue;
            }
            var pin = new ArtifactPin
            {
                Name = entry.Name,
                Version = fileVersion,
                File = entry.FileNameFor(fileVersion, arch),
                Sha256 = actual,
                Source = PinSource.Import,
                Evidence = Path.GetFullPath(Path.Join(directory, SumsFile)),
                MirrorKey = ArtifactMirror.KeyOf(actual, entry.FileNameFor(fileVersion, arch)),
                PinnedAt = _clock.GetUtcNow(),
            };
            var pinned = existing.GetValueOrDefault(entry.Name);
            if (accepted.Any(a => a.Pin.Name == entry.Name))
                rows.Add(Row(ArtifactOutcome.Failed, $"{SumsFile} lists a second file for {entry.Name}; keep one"));
            else if (pinned is not null && pinned.SameFileAs(pin) && pinned.IsMirrored && await _mirror.ContainsAsync(pinned.MirrorKey, cancellationToken))
                rows.Add(Row(ArtifactOutcome.AlreadyPinned, $"pinned from {pinned.Evidence} on {pinned.PinnedAt:yyyy-MM-dd}"));
            else if (pinned is not null && pinned.Sha256 != actual && !replace)
                rows.Add(Row(ArtifactOutcome.Failed,
                    $"{entry.Name} is pinned to other bytes ({pinned.Version}, sha256 {pinned.Sha256}, from {pinned.Evidence}); pass --replace to take this file instead"));
            else
            {
                var outcome = pinned is not null && pinned.Sha256 != actual ? ArtifactOutcome.Replaced : ArtifactOutcome.Imported;
                accepted.Add((pin, content, outcome));
                rows.Add(Row(outcome, outcome == ArtifactOutcome.Replaced ? $"in place of sha256 {pinned!.Sha256} ({pinned.Evidence})" : ""));
            }
        }

        var failed = rows.Any(r => r.Outcome == ArtifactOutcome.Failed);
        if (failed)
        {
            // All or nothing: a bundle with one bad file is not the bundle the operator meant.
            rows = rows.Select(r => r.Outcome is ArtifactOutcome.Imported or ArtifactOutcome.Replaced
                ? r with { Outcome = ArtifactOutcome.Failed, Detail = "verified, but not imported: another file of the bundle failed" }
                : r).ToList();
        }
        else
        {
            foreach (var (pin, content, _) in accepted) await _mirror.StoreAsync(pin.File, content, cancellationToken);
            await _pins.SaveAsync(version, arch, accepted.Select(a => a.Pin).ToList(), cancellationToken);
        }
        return new ArtifactReport(version, rows, await StillMissingAsync(version, arch, cancellationToken));
    }

    /// <summary>The catalogue's artifacts for this version and architecture that no pin names.</summary>
    public async Task<IReadOnlyList<ArtifactShortfall>> StillMissingAsync(string version, string arch, CancellationToken cancellationToken)
    {
        var pins = await _pins.LoadAsync(version, arch, cancellationToken);
        return ArtifactCatalogue.For(version)
            .Where(e => cni is not { } used || e.UsedWith(used))
            .Where(e => !pins.ContainsKey(e.Name) && !(localProvider && e.LocalProviderNeedsNoImport))
            .Select(e => new ArtifactShortfall(e.Name, e.Version, arch, "not pinned", ArtifactShortfall.ProvideSteps))
            .ToList();
    }

    /// <summary>The catalogue entry a listed file is, with the version and architecture it is for (null: not known by its name).</summary>
    public static (CatalogueEntry? Entry, string Version, string? Arch) Match(string kubernetesVersion, string listedName, string arch)
    {
        var name = ChecksumFile.NameOf(listedName);
        var file = Path.GetFileName(name);
        var pathArch = name.Split('/').SkipLast(1).LastOrDefault(CpuArchitecture.IsKnown);
        foreach (var entry in ArtifactCatalogue.For(kubernetesVersion))
        {
            if (!entry.Matches(file, out var version, out var fileArch)) continue;
            return (version is null ? entry : entry.AtVersion(version), version ?? entry.Version, fileArch ?? pathArch);
        }
        return (null, "", pathArch);
    }

    private static async Task<IReadOnlyList<ChecksumLine>> ReadSumsAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
            throw new ArtifactInputException($"{directory} is not a directory; give the folder that holds the files and their {SumsFile}");
        var sums = Path.Join(directory, SumsFile);
        if (!File.Exists(sums))
            throw new ArtifactInputException(
                $"{sums} does not exist: list the files with their digests beside them, as 'sha256sum FILE... > {SumsFile}' writes it");
        IReadOnlyList<ChecksumLine> lines;
        try
        {
            lines = ChecksumFile.ParseSums(await File.ReadAllTextAsync(sums, cancellationToken));
        }
        catch (ChecksumFormatException e)
        {
            throw new ArtifactInputException($"{sums}: {e.Message}");
        }
        if (lines.Count == 0) throw new ArtifactInputException($"{sums} lists no file");
        foreach (var line in lines)
        {
            var name = ChecksumFile.NameOf(line.Name);
            if (Path.IsPathRooted(name) || name.Split('/').Any(part => part is ".." or ""))
                throw new ArtifactInputException($"{sums} line {line.Line}: '{line.Name}' is not a path inside {directory}");
        }
        return lines;
    }
}
