using Kubes.Agent.Configuration;
using Kubes.Agent.Pki;
using Kubes.Controller.Components;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;
using AgentKubelet = Kubes.Agent.Components.Kubelet;
using AgentKubeProxy = Kubes.Agent.Components.KubeProxy;

namespace Kubes.Controller.Tests.Components.Kubelet;

/// <summary>
/// The kubelet and kube-proxy as the coordinator decides them for a node, and what the agent renders of that: their
/// sections of the role configuration, and every flag the agent sets checked against each supported minor's list and the
/// locked flags.
/// </summary>
public sealed class NodeComponentsTests
{
    private static RoleConfig NodeConfig(ClusterSpec spec, string instanceId = "i-0123456789abcdef0")
    {
        var topology = ClusterTopology.From(spec);
        var slot = topology.SlotsOf(InstanceRole.Node).First();
        var address = slot.PrivateIp ?? System.Net.IPAddress.Parse("10.0.64.20");
        var artifacts = new[] { ArtifactNames.Containerd, ArtifactNames.Runc, ArtifactNames.CniPlugins, ArtifactNames.Kubelet, ArtifactNames.KubeProxy, ArtifactNames.OpenSsh }
            .Select(name => new Artifact { Name = name, Version = "1.36.3", Sha256 = new string('a', 64), Urls = { "https://example.invalid/" + name } });
        return new TopologyRoleConfigSource(topology, _ => artifacts).For(slot, new VerifiedInstance(spec.Name, instanceId, slot, address),
            ClusterMaterial.None).Config;
    }

    [Fact]
    public void A_node_runs_the_kubelet_and_kube_proxy_and_nothing_else_does()
    {
        var names = new[] { ComponentNames.Kubelet, ComponentNames.KubeProxy };

        Assert.Equal(names, ClusterComponents.On(InstanceRole.Node).Select(c => c.Name).Where(names.Contains));
        foreach (var role in new[] { InstanceRole.Bastion, InstanceRole.Etcd, InstanceRole.Controller })
            Assert.DoesNotContain(ClusterComponents.On(role), c => names.Contains(c.Name));
        Assert.Equal([ArtifactNames.Kubelet, ArtifactNames.KubeProxy], names.SelectMany(name => ClusterComponents.Find(name)!.Artifacts));
    }

    [Fact]
    public void An_aws_node_reaches_the_ha_endpoint_registers_with_its_zone_and_provider_id_and_points_pods_at_the_cluster_dns()
    {
        var spec = ClusterSpecDefaults.Aws("prod");
        var config = NodeConfig(spec);
        var zone = ClusterTopology.From(spec).SlotsOf(InstanceRole.Node).First().Zone.Zone;

        Assert.Equal("https://api.prod.kubes.internal:6443", config.Kubelet.ApiEndpoint);
        Assert.Equal("https://api.prod.kubes.internal:6443", config.KubeProxy.ApiEndpoint);
        Assert.Equal("10.32.0.10", config.Kubelet.ClusterDns);
        Assert.Equal("cluster.local", config.Kubelet.ClusterDomain);
        Assert.Equal($"aws:///{zone}/i-0123456789abcdef0", config.Kubelet.ProviderId);
        Assert.Equal([("kubes.io/role", "node"), ("topology.kubernetes.io/region", spec.Region), ("topology.kubernetes.io/zone", zone)],
            config.Kubelet.NodeLabels.Select(l => (l.Name, l.Value)));
        Assert.Equal((spec.Network.PodCidr, "iptables"), (config.KubeProxy.ClusterCidr, config.KubeProxy.Mode));
    }

    [Fact]
    public void A_local_node_has_no_provider_id_and_reaches_the_local_endpoint()
    {
        var spec = ClusterSpecDefaults.Local("demo");
        var config = NodeConfig(spec);

        Assert.Equal("", config.Kubelet.ProviderId);
        Assert.Equal($"https://{ClusterTopology.From(spec).Reserved.ApiEndpoint}:6443", config.Kubelet.ApiEndpoint);
    }

    [Fact]
    public void The_operators_flags_reach_the_sections_ordered_by_name()
    {
        var spec = ClusterSpecDefaults.Aws("prod") with
        {
            Components = new Dictionary<string, ComponentSpec>
            {
                ["kubelet"] = new() { ExtraArgs = new Dictionary<string, string> { ["v"] = "4", ["image-gc-high-threshold"] = "80" } },
                ["kube-proxy"] = new() { ExtraArgs = new Dictionary<string, string> { ["v"] = "2" } },
            },
        };
        var config = NodeConfig(spec);

        Assert.Equal([("image-gc-high-threshold", "80"), ("v", "4")], config.Kubelet.ExtraArgs.Select(f => (f.Name, f.Value)));
        Assert.Equal([("v", "2")], config.KubeProxy.ExtraArgs.Select(f => (f.Name, f.Value)));
    }

    [Fact]
    public void Every_flag_the_agent_sets_is_one_the_minor_has_and_one_the_operator_cannot_override() =>
        RenderedFlags.AreKnownAndLocked(spec => NodeConfig(spec), new Dictionary<string, Func<RoleConfig, AgentPaths, PkiFiles, IEnumerable<string>>>
        {
            [ComponentNames.Kubelet] = (config, paths, pki) => AgentKubelet.KubeletFlags.For(new AgentKubelet.KubeletLayout(config, paths, pki,
                cgroupDriver: "systemd", resolvConf: "/etc/resolv.conf")).ToFlagSet().Entries.Select(e => e.Name),
            [ComponentNames.KubeProxy] = (config, paths, pki) =>
                AgentKubeProxy.KubeProxyFlags.For(new AgentKubeProxy.KubeProxyLayout(config, paths, pki)).ToFlagSet().Entries.Select(e => e.Name),
        });

    [Fact]
    public void Every_locked_flag_is_a_flag_of_its_component() => RenderedFlags.LockedAreKnown(ComponentNames.Kubelet, ComponentNames.KubeProxy);
}
