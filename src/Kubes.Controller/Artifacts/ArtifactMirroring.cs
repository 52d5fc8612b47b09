using Kubes.Controller.Spec;
using Kubes.Controller.State;

namespace Kubes.Controller.Artifacts;

/// <summary>
/// <c>kubes artifacts mirror</c>: every artifact of the catalogue for the cluster's Kubernetes version, per
/// architecture, downloaded over HTTPS (from the spec's mirror site, if any), verified against its published checksum,
/// stored in the state store's mirror and pinned; instances in private subnets then download from the state store.
/// The checksum file is read on every run: one that changed for a pinned file is refused. A file already mirrored
/// under its pinned digest is not downloaded again. A file whose project publishes no checksum (a pod network's manifest)
/// is read on every run instead and must still be the bytes of its first fetch.
/// </summary>
/// <param name="cni">The pod network the cluster runs: the other's manifest is not mirrored; null mirrors both.</param>
public sealed class ArtifactMirroring(IStateStore store, HttpClient http, ArtifactSite site, bool localProvider, TimeProvider? clock = null,
    CniKind? cni = null)
{
    private readonly ArtifactPinStore _pins = new(store);
    private readonly ArtifactMirror _mirror = new(store);
    private readonly HttpsArtifactSource _https = new(http);
    private readonly ArtifactPinning _published = new(store, http, site, useHostPackages: false, clock);

    public static ArtifactMirroring For(ClusterSpec spec, IStateStore store, HttpClient http, bool useHostPackages) =>
        new(store, http, ArtifactSite.Of(spec), useHostPackages, cni: spec.Cni);

    private IEnumerable<CatalogueEntry> Entries(string version) =>
        ArtifactCatalogue.For(version).Where(e => cni is not { } used || e.UsedWith(used));

    /// <param name="progress">Told before each download, for a command to show.</param>
    public async Task<ArtifactReport> MirrorAsync(string kubernetesVersion, IReadOnlyList<string> arches, bool replace,
        IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var version = ArtifactCatalogue.Normalize(kubernetesVersion);
        var rows = new List<ArtifactReportRow>();
        var missing = new List<ArtifactShortfall>();
        var known = await _pins.AllAsync(cancellationToken);
        foreach (var arch in arches)
        {
            var existing = await _pins.LoadAsync(version, arch, cancellationToken);
            var pinned = new List<ArtifactPin>();
            foreach (var entry in Entries(version))
            {
                var row = await MirrorOneAsync(entry, arch, existing.GetValueOrDefault(entry.Name), known, replace, progress, cancellationToken);
                rows.Add(row.Row);
                if (row.Pin is not null) pinned.Add(row.Pin);
            }
            await _pins.SaveAsync(version, arch, pinned, cancellationToken);
            var pins = await _pins.LoadAsync(version, arch, cancellationToken);
            missing.AddRange(Entries(version)
                .Where(e => !pins.ContainsKey(e.Name) && !(localProvider && e.LocalProviderNeedsNoImport))
                .Select(e => new ArtifactShortfall(e.Name, e.Version, arch,
                    rows.LastOrDefault(r => r.Name == e.Name && r.Arch == arch)?.Detail ?? "not pinned", ArtifactShortfall.ProvideSteps)));
        }
        return new ArtifactReport(version, rows, missing);
    }

    private async Task<(ArtifactReportRow Row, ArtifactPin? Pin)> MirrorOneAsync(CatalogueEntry entry, string arch, ArtifactPin? pinned,
        IReadOnlyList<ArtifactPin> known, bool replace, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var file = entry.FileNameFor(arch);
        ArtifactReportRow Row(ArtifactOutcome outcome, string sha256, string detail) =>
            new(entry.Name, entry.Version, arch, file, sha256, outcome, detail);

        if (localProvider && entry.HostPackage is not null)
            return (Row(ArtifactOutcome.Ignored, pinned?.Sha256 ?? "",
                $"the local provider takes {entry.Name} from this machine ({entry.HostPackage.InstallCommand})"), null);

        if (entry.PinnedOnFirstFetch) return await MirrorFirstFetchedAsync(entry, arch, pinned, replace, progress, cancellationToken);

        ArtifactPin published;
        try
        {
            published = await _published.ReadPublishedAsync(entry, arch, cancellationToken);
            ArtifactPinning.RefuseChangedChecksum(published, known);
        }
        catch (Exception e) when (e is ArtifactFetchException or ChecksumFormatException or ChecksumChangedException)
        {
            return (Row(ArtifactOutcome.Failed, pinned?.Sha256 ?? "", e.Message), null);
        }

        if (pinned is not null && !pinned.SameFileAs(published) && !replace)
            return (Row(ArtifactOutcome.Failed, pinned.Sha256,
                $"{entry.Name} is pinned to {pinned.File} {pinned.Version} (sha256 {pinned.Sha256}, from {pinned.Evidence}); "
                + $"pass --replace to take upstream's {file} instead"), null);
        if (pinned is not null && pinned.SameFileAs(published) && pinned.IsMirrored && await _mirror.ContainsAsync(pinned.MirrorKey, cancellationToken))
            return (Row(ArtifactOutcome.AlreadyMirrored, pinned.Sha256, $"{published.Evidence} still gives this digest"), null);

        var url = site.Locate(entry.UrlFor(arch));
        progress?.Report($"downloading {entry.Name} {entry.Version} linux/{arch} from {url}");
        byte[] content;
        string actual;
        try
        {
            (content, actual) = await _https.DownloadAsync(url, cancellationToken);
        }
        catch (ArtifactFetchException e)
        {
            return (Row(ArtifactOutcome.Failed, published.Sha256, e.Message), null);
        }
        if (actual != published.Sha256)
            return (Row(ArtifactOutcome.Failed, published.Sha256,
                $"{url} served bytes with SHA-256 {actual}, but {published.Evidence} gives {published.Sha256}: refused, nothing stored"), null);
        if (ArtifactLayoutCheck.ProblemWith(entry, entry.Version, arch, content) is { } problem)
            return (Row(ArtifactOutcome.Failed, actual, $"{problem}; {entry.Name} is {entry.Layout.Describe(entry.Version, arch)}"), null);

        var (key, _) = await _mirror.StoreAsync(file, content, cancellationToken);
        return (Row(ArtifactOutcome.Mirrored, actual, $"verified against {published.Evidence}"), published with { MirrorKey = key });
    }

    /// <summary>
    /// A file without a published checksum: read again and compared with its pin (the first fetch decides; other bytes
    /// need <paramref name="replace"/>), or pinned now if it never was.
    /// </summary>
    private async Task<(ArtifactReportRow Row, ArtifactPin? Pin)> MirrorFirstFetchedAsync(CatalogueEntry entry, string arch, ArtifactPin? pinned,
        bool replace, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var file = entry.FileNameFor(arch);
        ArtifactReportRow Row(ArtifactOutcome outcome, string sha256, string detail) =>
            new(entry.Name, entry.Version, arch, file, sha256, outcome, detail);
        progress?.Report($"downloading {entry.Name} {entry.Version} linux/{arch} from {site.Locate(entry.UrlFor(arch))}");
        ArtifactPin fetched;
        try
        {
            fetched = await _published.FetchFirstAsync(entry, arch, cancellationToken);
        }
        catch (Exception e) when (e is ArtifactFetchException or ChecksumChangedException)
        {
            return (Row(ArtifactOutcome.Failed, pinned?.Sha256 ?? "", e.Message), null);
        }
        if (pinned is not null && pinned.SameFileAs(fetched))
            return (Row(ArtifactOutcome.AlreadyMirrored, pinned.Sha256,
                $"{fetched.Evidence} still serves the bytes pinned on their first fetch (the project publishes no checksum)"), pinned.IsMirrored ? null : fetched);
        if (pinned is not null && !replace)
            return (Row(ArtifactOutcome.Failed, pinned.Sha256,
                $"{entry.Name} is pinned to {pinned.File} {pinned.Version} (sha256 {pinned.Sha256}, from {pinned.Evidence}); "
                + $"pass --replace to take upstream's {file} instead"), null);
        return (Row(ArtifactOutcome.Mirrored, fetched.Sha256, "pinned on its first fetch: the project publishes no checksum for it"), fetched);
    }
}
