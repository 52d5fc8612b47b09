using k8s;
using k8s.Models;
using Kubes.Controller.Components;
using Kubes.Controller.Components.Addons;
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
    private static RoleConfig ConfigOf(ClusterSpec spec, InstanceRole role)
    {
        var topology = ClusterTopology.From(spec);
        var slot = topology.SlotsOf(role).First();
        var address = slot.PrivateIp ?? System.Net.IPAddress.Parse("10.0.64.20");
        return new TopologyRoleConfigSource(topology, _ => []).For(slot, new VerifiedInstance(spec.Name, "i-0123456789abcdef0", slot, address),
            ClusterMaterial.None).Config;
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
        Assert.DoesNotContain(ClusterAddons.For(ClusterTopology.From(off), null, "api", 6443), a => a.Name == "metrics-server");
    }
}
