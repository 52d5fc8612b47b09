using k8s;
using k8s.Models;
using Kubes.Controller.Components.Addons;
using Kubes.Controller.Components.Addons.Cni;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Artifacts.Support;
using Kubes.Controller.Tests.Pki.Support;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Components.Addons;

/// <summary>
/// The add-ons as the cluster applies them: rendered per CNI and version, golden, and every object read back strictly into
/// the Kubernetes API's model types (an unknown field fails).
/// </summary>
public sealed class ClusterAddonsTests
{
    private static string Manifest(string file, [System.Runtime.CompilerServices.CallerFilePath] string test = "") =>
        File.ReadAllText(Path.Join(Path.GetDirectoryName(test)!, "Manifests", file));

    private static string ManifestOf(CniKind cni) => Manifest(cni == CniKind.Calico ? "calico.yaml" : "kube-flannel.yml");

    private static IReadOnlyList<Addon> Render(ClusterSpec spec) =>
        ClusterAddons.For(ClusterTopology.From(spec),
            CniManifest.Render(spec.Cni, ManifestOf(spec.Cni), spec.Network.PodCidr, "demo-api-0123456789abcdef.elb.us-east-1.amazonaws.com", 6443));

    public static TheoryData<string, string, string> Scenarios() => new()
    {
        { "aws", "calico", "1.36.3" }, { "aws", "flannel", "1.36.3" }, { "aws", "calico", "1.35.7" }, { "local", "calico", "1.36.3" },
    };

    /// <summary>The scenario's spec; the local one also turns the dashboard on, so that every add-on has its golden file.</summary>
    private static ClusterSpec Spec(string provider, string cni, string version)
    {
        var defaults = provider == "aws" ? ClusterSpecDefaults.Aws("demo") : ClusterSpecDefaults.Local("demo");
        return defaults with
        {
            Cni = cni == "calico" ? CniKind.Calico : CniKind.Flannel,
            KubernetesVersion = version,
            Addons = defaults.Addons with { Dashboard = provider == "local" },
        };
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Each_clusters_add_ons_are_the_golden_manifests(string provider, string cni, string version)
    {
        foreach (var addon in Render(Spec(provider, cni, version)))
            Golden.AssertMatches($"addons/{provider}-{cni}-{version}/{addon.Name}.yaml", addon.ToYaml());
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Every_object_reads_back_strictly_into_its_model_type_and_carries_the_add_ons_label(string provider, string cni, string version)
    {
        foreach (var addon in Render(Spec(provider, cni, version)))
        {
            var read = KubernetesYaml.LoadAllFromString(addon.ToYaml(), strict: true);

            Assert.Equal(addon.Objects.Count, read.Count);
            Assert.All(read.Cast<IKubernetesObject>().Zip(addon.Objects), pair =>
            {
                Assert.Equal(pair.Second.GetType(), pair.First.GetType());
                Assert.Equal(addon.Name, ((IMetadata<V1ObjectMeta>)pair.First).Metadata.Labels[Addon.AddonLabel]);
            });
        }
    }

    /// <summary>
    /// The machine's kubectl, a second reader (client-go's decoder), takes every document as the object Kubes meant. Offline
    /// it cannot check fields against the API's schema (that needs a server's OpenAPI); the strict read above does.
    /// </summary>
    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Kubectl_reads_every_object_as_written(string provider, string cni, string version)
    {
        using var folder = new TempFolder();
        foreach (var addon in Render(Spec(provider, cni, version)))
        {
            var file = folder.Write($"{addon.Name}.yaml", addon.ToYaml());
            Assert.Equal(addon.Objects.Select(KubectlName), (await KubectlLocal.ReadAsync(file, "name")).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    /// <summary>kind[.group]/name, as <c>kubectl -o name</c> prints an object.</summary>
    private static string KubectlName(IKubernetesObject o)
    {
        var group = o.ApiVersion.Contains('/') ? "." + o.ApiVersion[..o.ApiVersion.IndexOf('/')] : "";
        return $"{o.Kind.ToLowerInvariant()}{group}/{((IMetadata<V1ObjectMeta>)o).Metadata.Name}";
    }

    [Fact]
    public void The_ebs_csi_controller_runs_in_the_nodes_network_where_the_instance_profile_answers_one_hop_away()
    {
        var ebs = Render(Spec("aws", "calico", "1.36.3")).Single(a => a.Name == "ebs-csi-driver").Objects;

        var controller = ebs.OfType<V1Deployment>().Single().Spec.Template.Spec;
        Assert.True(controller.HostNetwork);
        Assert.Equal("kubernetes.io/hostname", Assert.Single(controller.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution).TopologyKey);
        var nodePlugin = ebs.OfType<V1DaemonSet>().Single().Spec.Template.Spec.Containers.Single(c => c.Name == "ebs-plugin");
        Assert.Contains(nodePlugin.Env, e => e.Name == "CSI_NODE_NAME" && e.ValueFrom.FieldRef.FieldPath == "spec.nodeName");
    }

    [Fact]
    public void Aws_gets_the_ebs_csi_driver_and_a_default_encrypted_gp3_ext4_class_the_local_provider_neither()
    {
        var aws = Render(Spec("aws", "calico", "1.36.3"));
        var local = Render(Spec("local", "calico", "1.36.3"));

        Assert.Equal(["control-plane-rbac", "cni", "coredns", "metrics-server", "ebs-csi-driver", "storage-class"], aws.Select(a => a.Name));
        Assert.Equal(["control-plane-rbac", "cni", "coredns", "metrics-server", "dashboard"], local.Select(a => a.Name));
        var storage = Assert.Single(aws.Single(a => a.Name == "storage-class").Objects.OfType<V1StorageClass>());
        Assert.Equal("true", storage.Metadata.Annotations["storageclass.kubernetes.io/is-default-class"]);
        Assert.Equal(("gp3", "true", "ext4"), (storage.Parameters["type"], storage.Parameters["encrypted"], storage.Parameters["csi.storage.k8s.io/fstype"]));
        Assert.Equal(("WaitForFirstConsumer", "ebs.csi.aws.com"), (storage.VolumeBindingMode, storage.Provisioner));
    }

    [Fact]
    public void The_dashboard_is_headlamp_acting_with_its_users_tokens_behind_a_cluster_ip_with_a_service_account_bound_to_nothing()
    {
        var spec = Spec("local", "calico", "1.36.3");
        var dashboard = Render(spec).Single(a => a.Name == "dashboard").Objects;

        var service = Assert.Single(dashboard.OfType<V1Service>());
        Assert.Equal(("headlamp", "ClusterIP", 80), (service.Metadata.Name, service.Spec.Type, service.Spec.Ports.Single().Port));
        var pod = Assert.Single(dashboard.OfType<V1Deployment>()).Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        Assert.Equal("ghcr.io/headlamp-k8s/headlamp:v0.39.0", container.Image);
        Assert.Contains("-in-cluster", container.Args);
        Assert.Equal((true, false), (container.SecurityContext.RunAsNonRoot, container.SecurityContext.AllowPrivilegeEscalation));
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Null(pod.HostNetwork);
        // No binding names its service account anywhere in the cluster's add-ons: the UI can do what its user's token may.
        Assert.DoesNotContain(Render(spec).SelectMany(a => a.Objects), o => o switch
        {
            V1ClusterRoleBinding b => b.Subjects?.Any(s => s.Name == "headlamp") == true,
            V1RoleBinding b => b.Subjects?.Any(s => s.Name == "headlamp") == true,
            _ => false,
        });
        Assert.DoesNotContain(Render(Spec("aws", "calico", "1.36.3")), a => a.Name == "dashboard");
    }

    [Fact]
    public void CoreDns_answers_at_the_cluster_dns_address_with_two_replicas_spread_across_zones_and_a_disruption_budget()
    {
        var coredns = Render(Spec("aws", "calico", "1.36.3")).Single(a => a.Name == "coredns").Objects;

        var service = Assert.Single(coredns.OfType<V1Service>());
        Assert.Equal(("kube-dns", "10.32.0.10"), (service.Metadata.Name, service.Spec.ClusterIP));
        var deployment = Assert.Single(coredns.OfType<V1Deployment>());
        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Equal("topology.kubernetes.io/zone", Assert.Single(deployment.Spec.Template.Spec.TopologySpreadConstraints).TopologyKey);
        // Apart on two nodes where there are two; both run on a cluster of one node instead of one staying Pending.
        Assert.Null(deployment.Spec.Template.Spec.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution);
        Assert.Equal("kubernetes.io/hostname",
            Assert.Single(deployment.Spec.Template.Spec.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution).PodAffinityTerm.TopologyKey);
        Assert.Equal("1", Assert.Single(coredns.OfType<V1PodDisruptionBudget>()).Spec.MinAvailable.Value);
        Assert.Contains(coredns.OfType<V1ClusterRole>(), role => role.Rules.Any(r => r.Resources.Contains("endpointslices")));
    }

    [Fact]
    public void Calicos_pool_is_the_pod_network_and_its_daemons_reach_the_ha_endpoint()
    {
        var cni = Render(Spec("aws", "calico", "1.36.3") with { Network = ClusterSpecDefaults.Aws("demo").Network with { PodCidr = "10.100.0.0/16" } })
            .Single(a => a.Name == CniManifest.Name);

        var node = cni.Objects.OfType<V1DaemonSet>().Single();
        Assert.Contains(node.Spec.Template.Spec.Containers[0].Env, e => e is { Name: "CALICO_IPV4POOL_CIDR", Value: "10.100.0.0/16" });
        var endpoint = cni.Objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == "kubernetes-services-endpoint");
        Assert.Equal("demo-api-0123456789abcdef.elb.us-east-1.amazonaws.com", endpoint.Data["KUBERNETES_SERVICE_HOST"]);
        Assert.All(node.Spec.Template.Spec.Containers.Concat(node.Spec.Template.Spec.InitContainers)
                .Concat(cni.Objects.OfType<V1Deployment>().Single().Spec.Template.Spec.Containers),
            c => Assert.Single(c.EnvFrom, e => e.ConfigMapRef.Name == "kubernetes-services-endpoint"));
    }

    [Fact]
    public void Flannels_network_is_the_pod_network_and_its_daemon_reaches_the_ha_endpoint()
    {
        var cni = Render(Spec("aws", "flannel", "1.36.3")).Single(a => a.Name == CniManifest.Name);

        Assert.Contains("\"Network\": \"10.200.0.0/16\"", cni.Objects.OfType<V1ConfigMap>().Single().Data["net-conf.json"]);
        var env = cni.Objects.OfType<V1DaemonSet>().Single().Spec.Template.Spec.Containers[0].Env;
        Assert.Contains(env, e => e is { Name: "KUBERNETES_SERVICE_PORT", Value: "6443" });
    }

    [Fact]
    public void A_manifest_with_a_field_the_api_does_not_have_is_refused()
    {
        var manifest = ManifestOf(CniKind.Flannel).Replace("hostNetwork: true", "hostNetwork: true\n      hostNetworking: true", StringComparison.Ordinal);

        var error = Assert.Throws<CniManifestException>(() => CniManifest.Render(CniKind.Flannel, manifest, "10.200.0.0/16", "10.226.0.3", 6443));

        Assert.Contains("does not read as Kubernetes objects", error.Message);
    }

    [Fact]
    public void A_manifest_without_the_object_kubes_fills_in_is_refused_by_name()
    {
        var manifest = ManifestOf(CniKind.Calico).Replace("name: calico-kube-controllers\n  namespace", "name: other\n  namespace", StringComparison.Ordinal);

        var error = Assert.Throws<CniManifestException>(() => CniManifest.Render(CniKind.Calico, manifest, "10.200.0.0/16", "10.226.0.3", 6443));

        Assert.Contains("has 0 Deployment named calico-kube-controllers", error.Message);
    }

    /// <summary>
    /// Calico's manifest is mostly CustomResourceDefinitions as controller-gen writes them: validation rules with reasons,
    /// map and list types, defaults, patterns, bounds. A CRD written here with each of those reads strictly with the
    /// model types Kubes reads manifests into, so a project's CRDs are not refused for using them.
    /// </summary>
    [Fact]
    public void Crds_as_controller_gen_writes_them_read_strictly()
    {
        const string crd = """
            ---
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              annotations:
                controller-gen.kubebuilder.io/version: v0.18.0
              name: examplefilters.crd.example.org
            spec:
              group: crd.example.org
              names: {kind: ExampleFilter, listKind: ExampleFilterList, plural: examplefilters, singular: examplefilter}
              preserveUnknownFields: false
              scope: Cluster
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      apiVersion: {type: string}
                      kind: {type: string}
                      metadata: {type: object}
                      spec:
                        type: object
                        properties:
                          mode:
                            type: string
                            default: Enabled
                            enum: [Enabled, Disabled]
                          port: {type: integer, format: int32, minimum: 1, maximum: 65535}
                          cidrs:
                            type: array
                            maxItems: 10
                            items: {type: string, format: cidr, maxLength: 43, pattern: '^[0-9a-f.:/]+$'}
                            x-kubernetes-list-type: set
                          peer:
                            type: object
                            required: [name]
                            properties:
                              name: {type: string, default: ""}
                              optional: {type: boolean}
                            x-kubernetes-map-type: atomic
                        x-kubernetes-validations:
                        - message: port cannot be set when mode is Disabled
                          reason: FieldValueForbidden
                          fieldPath: .port
                          rule: "!has(self.port) || self.mode == 'Enabled'"
            """;

        var addon = CniManifest.Render(CniKind.Calico, ManifestOf(CniKind.Calico) + "\n" + crd, "10.200.0.0/16", "10.226.0.3", 6443);

        var read = Assert.Single(addon.Objects.OfType<V1CustomResourceDefinition>(), c => c.Metadata.Name == "examplefilters.crd.example.org");
        var spec = read.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"];
        Assert.Equal("FieldValueForbidden", Assert.Single(spec.XKubernetesValidations).Reason);
        Assert.Equal("set", spec.Properties["cidrs"].XKubernetesListType);
        Assert.Equal("atomic", spec.Properties["peer"].XKubernetesMapType);
    }
}
