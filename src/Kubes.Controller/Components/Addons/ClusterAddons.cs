using Kubes.Controller.Components.Addons.Cni;
using Kubes.Controller.Components.Addons.CoreDns;
using Kubes.Controller.Components.Addons.Dashboard;
using Kubes.Controller.Components.Addons.MetricsServer;
using Kubes.Controller.Components.Addons.Rbac;
using Kubes.Controller.Components.Addons.Storage;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Components.Addons;

/// <summary>
/// The add-ons a cluster applies to itself, in order: the control plane's own RBAC bindings, the pod network of
/// <c>spec.cni</c> (rendered from its upstream manifest, <see cref="PodNetwork"/>), CoreDNS, metrics-server, the dashboard
/// (<c>spec.addons.dashboard</c>, Headlamp), and on AWS the EBS CSI driver with
/// the default StorageClass (<c>spec.addons.ebsCsiDriver</c>).
/// </summary>
public static class ClusterAddons
{
    /// <param name="podNetwork">The pod network's add-on (<see cref="CniManifest.Render"/>); null leaves it out.</param>
    public static IReadOnlyList<Addon> For(ClusterTopology topology, Addon? podNetwork)
    {
        var spec = topology.Spec;
        var minor = KubernetesVersions.MinorOf(spec.KubernetesVersion) ?? "";
        var images = AddonImages.ByKubernetesMinor.GetValueOrDefault(minor)
                     ?? throw new InvalidOperationException($"Kubes has no add-on images for Kubernetes {spec.KubernetesVersion}");
        var addons = new List<Addon> { ControlPlaneRbacAddon.Build() };
        if (podNetwork is not null) addons.Add(podNetwork);
        if (spec.Addons.CoreDns) addons.Add(CoreDnsAddon.Build(images.CoreDns, topology.ClusterDnsIp.ToString(), ClusterTopology.ClusterDomain));
        if (spec.Addons.MetricsServer) addons.Add(MetricsServerAddon.Build(images.MetricsServer));
        if (spec.Addons.Dashboard) addons.Add(DashboardAddon.Build(images.Dashboard));
        if (spec.Addons.EbsCsiDriver && spec.Provider == ProviderKind.Aws)
        {
            addons.Add(EbsCsiDriverAddon.Build(images, spec.Name));
            addons.Add(StorageClassAddon.Build());
        }
        return addons;
    }
}
