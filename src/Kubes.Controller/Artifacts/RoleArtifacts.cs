using Kubes.Controller.Components;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Controller.Artifacts;

/// <summary>
/// What each role downloads, from the cluster's pins: the mirror's copy first when the state store holds the bytes,
/// the upstream file (at the spec's mirror site, if any) last. Every URL serves the pinned SHA-256 or is refused by
/// the agent.
/// </summary>
public sealed class RoleArtifacts(PinnedArtifacts pinned, IArtifactUrls urls, ArtifactSite site)
{
    /// <summary>The artifacts the components of a role name (<see cref="IClusterComponent.Artifacts"/>).</summary>
    public static IReadOnlyList<string> NamesFor(InstanceRole role) =>
        ClusterComponents.On(role).SelectMany(component => component.Artifacts).Distinct().ToList();

    /// <summary>What the cluster's instances need, over every role it has.</summary>
    public static IReadOnlyList<string> NamesFor(ClusterTopology topology) =>
        topology.Roles.SelectMany(NamesFor).Distinct().ToList();

    public IEnumerable<Artifact> For(InstanceRole role) =>
        NamesFor(role).Where(pinned.Pins.ContainsKey).Select(name => ArtifactOf(pinned.Pins[name]));

    public Artifact ArtifactOf(ArtifactPin pin)
    {
        if (pin.Source == PinSource.Distribution)
            return new Artifact { Name = pin.Name, DistributionPackages = { ArtifactCatalogue.Distribution(pin.Name)!.Packages } };
        var artifact = new Artifact { Name = pin.Name, Version = pin.Version, Sha256 = pin.Sha256 };
        if (pin.IsMirrored) artifact.Urls.Add(urls.UrlOf(new MirroredArtifact(pin.Name, pin.Version, pin.MirrorKey, pin.Sha256)));
        if (pin.Url.Length > 0) artifact.Urls.Add(site.Locate(new Uri(pin.Url)).AbsoluteUri);
        return artifact;
    }
}
