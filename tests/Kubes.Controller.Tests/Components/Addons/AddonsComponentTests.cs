using k8s;
using k8s.Models;
using Kubes.Controller.Components;
using Kubes.Controller.Components.Addons;
using Kubes.Controller.Artifacts;
using Kubes.Controller.Components.Addons.Cni;
using Kubes.Controller.Components.Addons.Rbac;
using Kubes.Controller.Pki;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Controller.Tests.Components.Addons;

/// <summary>
/// The add-ons as the coordinator hands them to the controllers: every object with the API path its apply goes to and a
/// body that reads back strictly into its model type; the add-on manager's identity, on controllers only.
/// </summary>
public sealed class AddonsComponentTests
{
    private static RoleConfig ConfigOf(ClusterSpec spec, InstanceRole role, ClusterMaterial? material = null)
    {
        var topology = ClusterTopology.From(spec);
        var slot = topology.SlotsOf(role).First();
        var address = slot.PrivateIp ?? System.Net.IPAddress.Parse("10.0.64.20");
        return new TopologyRoleConfigSource(topology, _ => []).For(slot, new VerifiedInstance(spec.Name, "i-0123456789abcdef0", slot, address),
            material ?? ClusterMaterial.None).Config;
    }

    private static string TestManifest(string file, [System.Runtime.CompilerServices.CallerFilePath] string source = "") =>
        File.ReadAllText(Path.Join(Path.GetDirectoryName(source)!, "Manifests", file));

    private static ClusterMaterial WithManifest(string name, string version, string text) => ClusterMaterial.None with
    {
        Manifests = EquatableList.Of([new PinnedManifest(name, version, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(text))), text)]),
    };

    [Fact]
    public void The_pod_network_comes_from_the_manifest_pinned_for_the_specs_cni_at_the_version_the_catalogue_pairs_with_its_minor()
    {
        var spec = ClusterSpecDefaults.Local("demo");
        var calico = WithManifest(ArtifactNames.CalicoManifest, "3.32.1", TestManifest("calico.yaml"));

        var objects = ConfigOf(spec, InstanceRole.Controller, calico).Addons.Objects;

        Assert.Contains(objects, o => o.Addon == CniManifest.Name && o.Path == "/apis/apps/v1/namespaces/kube-system/daemonsets/calico-node");
        Assert.Contains(objects, o => o.Addon == CniManifest.Name && o.Path == "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/ippools.crd.projectcalico.org");
        // After the control plane's RBAC, before CoreDNS: DNS pods need the pod network.
        var order = objects.Select(o => o.Addon).Distinct().ToList();
        Assert.True(order.IndexOf(CniManifest.Name) == 1 && order.IndexOf("coredns") > 1, string.Join(", ", order));
        var endpoint = PodNetwork.Of(ClusterTopology.From(spec), calico, "10.226.0.3", 6443);
        Assert.StartsWith("Pod network: calico 3.32.1 from its manifest (sha256 ", endpoint.Line);

        // Another version of the manifest, or another pod network's, is not this cluster's.
        foreach (var other in new[] { WithManifest(ArtifactNames.CalicoManifest, "3.31.0", TestManifest("calico.yaml")),
                     WithManifest(ArtifactNames.FlannelManifest, "0.28.10", TestManifest("kube-flannel.yml")) })
            Assert.DoesNotContain(ConfigOf(spec, InstanceRole.Controller, other).Addons.Objects, o => o.Addon == CniManifest.Name);
    }

    [Fact]
    public void Without_a_usable_manifest_the_other_add_ons_are_applied_and_up_says_why_there_is_no_pod_network()
    {
        var spec = ClusterSpecDefaults.Local("demo");
        var topology = ClusterTopology.From(spec);

        var none = PodNetwork.Of(topology, ClusterMaterial.None, "10.226.0.3", 6443);
        Assert.Null(none.Addon);
        Assert.StartsWith("warning: no pod network: calico-manifest 3.32.1 (calico.yaml) is not pinned; the controllers apply the other add-ons", none.Line);
        Assert.EndsWith("Provide the manifest ('missing:' above says how), then run 'kubes up' again.", none.Line);

        // Flannel's manifest imported under Calico's name: not the manifest Kubes fills in for Calico.
        var wrong = WithManifest(ArtifactNames.CalicoManifest, "3.32.1", TestManifest("kube-flannel.yml"));
        var refused = PodNetwork.Of(topology, wrong, "10.226.0.3", 6443);
        Assert.Null(refused.Addon);
        Assert.Contains("is not a manifest Kubes can fill in: the calico manifest has 0 DaemonSet named calico-node", refused.Line);
        Assert.Contains("'kubes artifacts import DIR --replace'", refused.Line);
        Assert.DoesNotContain(ConfigOf(spec, InstanceRole.Controller, wrong).Addons.Objects, o => o.Addon == CniManifest.Name);
        Assert.Contains(ConfigOf(spec, InstanceRole.Controller, wrong).Addons.Objects, o => o.Addon == "coredns");
    }

    [Fact]
    public void Only_controllers_get_the_add_ons_and_they_come_after_the_control_plane()
    {
        Assert.Equal([ComponentNames.KubeApiServer, ComponentNames.KubeControllerManager, ComponentNames.KubeScheduler, ComponentNames.Addons],
            ClusterComponents.On(InstanceRole.Controller).Select(c => c.Name).Where(n => n != ComponentNames.Sshd));
        foreach (var role in new[] { InstanceRole.Bastion, InstanceRole.Etcd, InstanceRole.Node })
            Assert.Null(ConfigOf(ClusterSpecDefaults.Local("demo"), role).Addons);
    }

    [Theory]
    [InlineData("aws")]
    [InlineData("local")]
    public void Every_object_goes_to_its_own_api_path_with_a_body_that_reads_back_strictly(string provider)
    {
        var spec = provider == "aws" ? ClusterSpecDefaults.Aws("demo") : ClusterSpecDefaults.Local("demo");
        var objects = ConfigOf(spec, InstanceRole.Controller).Addons.Objects;

        Assert.NotEmpty(objects);
        Assert.Equal(objects.Count, objects.Select(o => o.Path).Distinct().Count());
        foreach (var o in objects)
        {
            var read = (IKubernetesObject)Assert.Single(KubernetesYaml.LoadAllFromString(o.Json, strict: true));
            Assert.Equal(o.Path, AddonObjectPath.Of(read));
            Assert.Equal(o.Addon, ((IMetadata<V1ObjectMeta>)read).Metadata.Labels[Addon.AddonLabel]);
        }

        Assert.Equal(ControlPlaneRbacAddon.Name, objects[0].Addon);
        Assert.Contains(objects, o => o.Path == "/apis/apps/v1/namespaces/kube-system/deployments/coredns");
        Assert.Equal(provider == "aws", objects.Any(o => o.Path == "/apis/storage.k8s.io/v1/storageclasses/gp3"));
    }

    [Fact]
    public void The_apiservers_kubelet_client_group_is_bound_to_the_kubelet_api_and_nothing_more()
    {
        var binding = (V1ClusterRoleBinding)Assert.Single(ControlPlaneRbacAddon.Build().Objects);

        Assert.Equal(("ClusterRole", KubernetesGroups.KubeletApiAdminClusterRole), (binding.RoleRef.Kind, binding.RoleRef.Name));
        Assert.Equal([("Group", KubernetesGroups.ApiServerKubeletClients)], binding.Subjects.Select(s => (s.Kind, s.Name)));
        Assert.Equal("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/kubes:apiserver-kubelet-client", AddonObjectPath.Of(binding));
    }

    [Fact]
    public void A_controller_gets_the_add_on_manager_identity_a_client_certificate_outside_system_masters()
    {
        var topology = ClusterTopology.From(ClusterSpecDefaults.Local("demo"));
        var policy = new IssuancePolicy(topology);
        var manager = Assert.Single(policy.ForSlot(topology.SlotsOf(InstanceRole.Controller).First()), i => i.Kind == IdentityKind.AddonManager);

        Assert.Equal(KubernetesGroups.AddonManagerCommonName, manager.CommonName);
        Assert.Equal([KubernetesGroups.AddonManagers], manager.Organizations);
        Assert.DoesNotContain(KubernetesGroups.Masters, manager.Organizations);
        Assert.Equal(ExtendedKeyUsages.ClientAuth, manager.ExtendedKeyUsages);
        Assert.Empty(manager.DnsNames);
        foreach (var role in new[] { InstanceRole.Etcd, InstanceRole.Bastion, InstanceRole.Node })
            Assert.DoesNotContain(policy.ForSlot(topology.SlotsOf(role).First()), i => i.Kind == IdentityKind.AddonManager);
    }

    [Fact]
    public void Paths_follow_the_kinds_scope_and_a_misplaced_namespace_is_refused()
    {
        Assert.Equal("/api/v1/namespaces/kube-system/services/kube-dns",
            AddonObjectPath.Of(new V1Service { Metadata = new V1ObjectMeta { Name = "kube-dns", NamespaceProperty = "kube-system" } }));
        Assert.Equal("/api/v1/namespaces/calico-system",
            AddonObjectPath.Of(new V1Namespace { Metadata = new V1ObjectMeta { Name = "calico-system" } }));
        Assert.Equal("/apis/policy/v1/namespaces/kube-system/poddisruptionbudgets/coredns",
            AddonObjectPath.Of(new V1PodDisruptionBudget { Metadata = new V1ObjectMeta { Name = "coredns", NamespaceProperty = "kube-system" } }));
        Assert.Throws<ArgumentException>(() => AddonObjectPath.Of(new V1Deployment { Metadata = new V1ObjectMeta { Name = "coredns" } }));
        Assert.Throws<ArgumentException>(() => AddonObjectPath.Of(new V1ClusterRole { Metadata = new V1ObjectMeta { Name = "x", NamespaceProperty = "kube-system" } }));
    }
}

/// <summary>metrics-server as the controllers can reach it: in its node's network, through the aggregator, off when the spec says so.</summary>
public sealed class MetricsServerAddonTests
{
    [Fact]
    public void It_serves_in_its_nodes_network_beside_the_kubelet_and_the_aggregator_reaches_it_there()
    {
        var objects = Kubes.Controller.Components.Addons.MetricsServer.MetricsServerAddon.Build("registry.k8s.io/metrics-server/metrics-server:v0.8.1").Objects;
        var pod = objects.OfType<V1Deployment>().Single().Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);

        Assert.True(pod.HostNetwork);
        Assert.Contains("--secure-port=4443", container.Args);
        Assert.DoesNotContain(container.Args, a => a.StartsWith("--kubelet-insecure-tls", StringComparison.Ordinal));
        Assert.Equal(4443, Assert.Single(container.Ports).ContainerPort);
        Assert.NotNull(pod.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution);
        var api = objects.OfType<V1APIService>().Single();
        Assert.Equal(("metrics.k8s.io", "v1beta1", "metrics-server"), (api.Spec.Group, api.Spec.Version, api.Spec.Service.Name));
    }

    [Fact]
    public void The_nodes_admit_it_from_the_controllers_and_its_scrapes_from_each_other_only_while_it_is_on()
    {
        static IEnumerable<string> NodeRules(ClusterSpec spec) =>
            Kubes.Controller.Aws.Resources.SecurityGroupRules.For(spec)[Kubes.Controller.Aws.Resources.SecurityGroupRules.Group(InstanceRole.Node)]
                .Select(r => $"{r.Protocol} {r.FromPort} {r.Source.Group?.Name}");
        var on = ClusterSpecDefaults.Aws("demo");
        var off = on with { Addons = on.Addons with { MetricsServer = false } };

        Assert.Contains("tcp 4443 controller", NodeRules(on));
        Assert.Contains("tcp 10250 node", NodeRules(on));
        Assert.DoesNotContain("tcp 4443 controller", NodeRules(off));
        Assert.DoesNotContain("tcp 10250 node", NodeRules(off));
        Assert.DoesNotContain(ClusterAddons.For(ClusterTopology.From(off), podNetwork: null), a => a.Name == "metrics-server");
    }
}
