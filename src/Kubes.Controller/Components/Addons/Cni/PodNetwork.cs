using Kubes.Controller.Artifacts;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Components.Addons.Cni;

/// <summary>
/// The pod network's add-on as the cluster has it: rendered from the manifest pinned for <c>spec.cni</c> at the version
/// the catalogue pairs with the cluster's minor, or, where there is none, why (<see cref="Problem"/>). Without it the
/// controllers apply the other add-ons; the nodes stay NotReady until a pod network runs.
/// </summary>
public sealed record PodNetwork(CatalogueEntry Entry, PinnedManifest? Manifest, Addon? Addon, string? Problem)
{
    private static readonly Lock Gate = new();
    private static (RenderKey Key, PodNetwork Value)? _last;

    public static PodNetwork Of(ClusterTopology topology, ClusterMaterial material, string apiHost, int apiPort)
    {
        var spec = topology.Spec;
        var entry = ArtifactCatalogue.CniManifestOf(spec);
        var manifest = material.Manifests.FirstOrDefault(m => m.Name == entry.Name && m.Version == entry.Version);
        if (manifest is null)
            return new PodNetwork(entry, null, null, $"{entry.Name} {entry.Version} ({entry.FileNameFor(CpuArchitecture.OfCluster(spec))}) is not pinned");
        // Reading a project's manifest strictly costs tens of milliseconds; the registrar builds a controller's
        // configuration for every join and re-sync, and the inputs change only with a new pin or endpoint.
        var key = new RenderKey(manifest.Sha256, spec.Cni, spec.Network.PodCidr, apiHost, apiPort);
        lock (Gate)
        {
            if (_last is { } last && last.Key == key) return last.Value with { Entry = entry, Manifest = manifest };
        }
        PodNetwork rendered;
        try
        {
            rendered = new PodNetwork(entry, manifest, CniManifest.Render(spec.Cni, manifest.Text, spec.Network.PodCidr, apiHost, apiPort), null);
        }
        catch (CniManifestException e)
        {
            rendered = new PodNetwork(entry, manifest, null, $"{entry.Name} {entry.Version} (sha256 {manifest.Sha256}) is not a manifest Kubes can fill in: {e.Message}");
        }
        lock (Gate) _last = (key, rendered);
        return rendered;
    }

    /// <summary>The line <c>kubes up</c> says about it.</summary>
    public string Line => Addon is not null
        ? $"Pod network: {Entry.Cni?.ToSpecName()} {Entry.Version} from its manifest (sha256 {Manifest!.Sha256}); the controllers apply it with the other add-ons."
        : $"warning: no pod network: {Problem}; the controllers apply the other add-ons, and the nodes stay NotReady until a pod network runs. "
          + (Manifest is null
              ? "Provide the manifest ('missing:' above says how), then run 'kubes up' again."
              : $"Import the project's own {Manifest.Name} file with 'kubes artifacts import DIR --replace', then run 'kubes up' again.");

    private sealed record RenderKey(string Sha256, CniKind Cni, string PodCidr, string ApiHost, int ApiPort);
}
