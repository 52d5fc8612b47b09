using Kubes.Controller.Spec;
using Kubes.Controller.State;

namespace Kubes.Controller.Artifacts;

/// <summary>
/// Pins the digests of the artifacts a cluster needs into its state store, for <c>kubes up</c>: a name already pinned
/// keeps its pin (nothing is fetched); otherwise the project's published checksum file is read over HTTPS (from the
/// spec's mirror site, if it names one) and its digest pinned; a file whose project publishes no checksum is read itself,
/// and the digest of that first fetch pinned (with the file kept in the mirror). On the local provider an entry with a host package is
/// always this machine's package, packed and mirrored. What cannot be pinned is listed with the command that
/// provides it; a published checksum that differs from a pin of the same file is refused
/// (<see cref="ChecksumChangedException"/>).
/// </summary>
public sealed class ArtifactPinning(IStateStore store, HttpClient http, ArtifactSite site, bool useHostPackages, TimeProvider? clock = null)
{
    private readonly ArtifactPinStore _pins = new(store);
    private readonly ArtifactMirror _mirror = new(store);
    private readonly HttpsArtifactSource _https = new(http);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>The pinning a cluster's spec asks for: its mirror site, and this machine's packages where the provider
    /// takes them.</summary>
    public static ArtifactPinning For(ClusterSpec spec, IStateStore store, HttpClient http, bool useHostPackages) =>
        new(store, http, ArtifactSite.Of(spec), useHostPackages);

    public async Task<PinnedArtifacts> PinAsync(string kubernetesVersion, string arch, IReadOnlyCollection<string> names,
        CancellationToken cancellationToken)
    {
        var version = ArtifactCatalogue.Normalize(kubernetesVersion);
        var existing = await _pins.LoadAsync(version, arch, cancellationToken);
        var resolved = await Task.WhenAll(names.Distinct().Select(name => ArtifactCatalogue.Distribution(name) is { } distribution
            ? FromDistributionAsync(distribution, arch, existing.GetValueOrDefault(name), cancellationToken)
            : ResolveAsync(ArtifactCatalogue.Entry(version, name), arch, existing.GetValueOrDefault(name), cancellationToken)));

        var fetched = resolved.Where(r => r.Pin is { IsFromUpstream: true } && r.IsNew).Select(r => r.Pin!).ToList();
        if (fetched.Count > 0)
        {
            var known = await _pins.AllAsync(cancellationToken);
            foreach (var pin in fetched) RefuseChangedChecksum(pin, known);
        }
        var newlyPinned = resolved.Where(r => r.IsNew).Select(r => r.Pin!).ToList();
        await _pins.SaveAsync(version, arch, newlyPinned, cancellationToken);
        return new PinnedArtifacts(version, arch,
            resolved.Where(r => r.Pin is not null).ToDictionary(r => r.Pin!.Name, r => r.Pin!),
            resolved.Where(r => r.Missing is not null).Select(r => r.Missing!).ToList(),
            newlyPinned);
    }

    /// <summary>Throws when another pin of the same upstream file holds another digest than <paramref name="fetched"/>.</summary>
    public static void RefuseChangedChecksum(ArtifactPin fetched, IEnumerable<ArtifactPin> known)
    {
        var other = known.FirstOrDefault(p => p.IsFromUpstream && p.Url == fetched.Url && p.Sha256 != fetched.Sha256);
        if (other is not null) throw new ChecksumChangedException(other, fetched.Sha256, new Uri(fetched.Evidence));
    }

    private async Task<Resolution> ResolveAsync(CatalogueEntry entry, string arch, ArtifactPin? pinned, CancellationToken cancellationToken)
    {
        if (useHostPackages && entry.HostPackage is not null) return await FromHostAsync(entry, arch, pinned, cancellationToken);
        if (useHostPackages && entry.OperatorTool) return new Resolution(pinned, false, null);
        if (pinned is not null) return new Resolution(pinned, false, null);
        try
        {
            var pin = entry.PinnedOnFirstFetch
                ? await FetchFirstAsync(entry, arch, cancellationToken)
                : await ReadPublishedAsync(entry, arch, cancellationToken);
            return new Resolution(pin, true, null);
        }
        catch (Exception e) when (e is ArtifactFetchException or ChecksumFormatException)
        {
            return new Resolution(null, false, new ArtifactShortfall(entry.Name, entry.Version, arch, e.Message, ArtifactShortfall.ProvideSteps));
        }
    }

    /// <summary>
    /// The pin of a file its project publishes no checksum for: the file itself read (from the mirror site, if any),
    /// checked to be what the entry says, refused when another pin of the same URL holds other bytes (the first fetch
    /// decides), then kept in the mirror, so that the coordinator reads those very bytes from now on.
    /// </summary>
    public async Task<ArtifactPin> FetchFirstAsync(CatalogueEntry entry, string arch, CancellationToken cancellationToken)
    {
        var url = site.Locate(entry.UrlFor(arch));
        var (content, sha256) = await _https.DownloadAsync(url, cancellationToken);
        if (ArtifactLayoutCheck.ProblemWith(entry, entry.Version, arch, content) is { } problem)
            throw new ArtifactFetchException(url, $"{problem}; {entry.Name} is {entry.Layout.Describe(entry.Version, arch)}");
        var pin = new ArtifactPin
        {
            Name = entry.Name,
            Version = entry.Version,
            File = entry.FileNameFor(arch),
            Sha256 = sha256,
            Source = PinSource.FirstFetch,
            Url = entry.UrlFor(arch).AbsoluteUri,
            Evidence = url.AbsoluteUri,
            PinnedAt = _clock.GetUtcNow(),
        };
        RefuseChangedChecksum(pin, await _pins.AllAsync(cancellationToken));
        var (key, _) = await _mirror.StoreAsync(pin.File, content, cancellationToken);
        return pin with { MirrorKey = key };
    }

    /// <summary>The pin the project's checksum file gives (read from the mirror site, if any).</summary>
    public async Task<ArtifactPin> ReadPublishedAsync(CatalogueEntry entry, string arch, CancellationToken cancellationToken)
    {
        var checksum = entry.Checksum ?? throw new InvalidOperationException($"{entry.Name} has no published checksum; its first fetch is pinned");
        var checksumUrl = site.Locate(entry.ChecksumUrlFor(arch));
        var text = await _https.ReadTextAsync(checksumUrl, cancellationToken);
        string sha256;
        try
        {
            sha256 = ChecksumFile.DigestFor(checksum.Format, text, entry.FileNameFor(arch));
        }
        catch (ChecksumFormatException e)
        {
            throw new ChecksumFormatException($"{checksumUrl} {e.Message}");
        }
        return new ArtifactPin
        {
            Name = entry.Name,
            Version = entry.Version,
            File = entry.FileNameFor(arch),
            Sha256 = sha256,
            Source = PinSource.Upstream,
            Url = entry.UrlFor(arch).AbsoluteUri,
            Evidence = checksumUrl.AbsoluteUri,
            PinnedAt = _clock.GetUtcNow(),
        };
    }

    /// <summary>
    /// A distribution's program: this machine's packages, packed and pinned, where the provider takes them; otherwise a pin
    /// without a file, which tells the agent to install the distribution's packages (never saved: nothing is pinned).
    /// </summary>
    private Task<Resolution> FromDistributionAsync(DistributionEntry entry, string arch, ArtifactPin? pinned,
        CancellationToken cancellationToken)
    {
        if (useHostPackages)
            return FromHostAsync(entry.Name, "", entry.HostPackage, ct => HostPackagePacker.PackAsync(entry, arch, ct), arch, pinned,
                cancellationToken);
        return Task.FromResult(new Resolution(new ArtifactPin
        {
            Name = entry.Name,
            Version = "",
            File = "",
            Sha256 = "",
            Source = PinSource.Distribution,
            Evidence = entry.Provenance,
            PinnedAt = _clock.GetUtcNow(),
        }, false, null));
    }

    private Task<Resolution> FromHostAsync(CatalogueEntry entry, string arch, ArtifactPin? pinned, CancellationToken cancellationToken) =>
        FromHostAsync(entry.Name, entry.Version, entry.HostPackage!, ct => HostPackagePacker.PackAsync(entry, arch, ct), arch, pinned,
            cancellationToken);

    private async Task<Resolution> FromHostAsync(string name, string catalogueVersion, HostPackage package,
        Func<CancellationToken, Task<HostPackagePacker.Packed>> pack, string arch, ArtifactPin? pinned, CancellationToken cancellationToken)
    {
        HostPackagePacker.Packed packed;
        try
        {
            packed = await pack(cancellationToken);
        }
        catch (HostPackageMissingException e)
        {
            return new Resolution(null, false, new ArtifactShortfall(name, catalogueVersion, arch, e.Message,
                $"the local provider takes {name} from this machine: {package.InstallCommand}"));
        }
        var (key, sha256) = await _mirror.StoreAsync(packed.FileName, packed.Content, cancellationToken);
        var pin = new ArtifactPin
        {
            Name = name,
            Version = packed.Version,
            File = packed.FileName,
            Sha256 = sha256,
            Source = PinSource.HostPackage,
            Evidence = packed.Evidence,
            MirrorKey = key,
            PinnedAt = _clock.GetUtcNow(),
        };
        // The machine's packages decide: a new package version (or a repacked file) is pinned in place of the old.
        return pinned is not null && pinned with { PinnedAt = pin.PinnedAt } == pin
            ? new Resolution(pinned, false, null)
            : new Resolution(pin, true, null);
    }

    private sealed record Resolution(ArtifactPin? Pin, bool IsNew, ArtifactShortfall? Missing);
}
