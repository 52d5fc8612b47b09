using System.Security.Cryptography;
using AgentApiServer = Kubes.Agent.Components.KubeApiServer;
using AgentControllerManager = Kubes.Agent.Components.KubeControllerManager;
using AgentScheduler = Kubes.Agent.Components.KubeScheduler;
using Kubes.Agent.Configuration;
using Kubes.Agent.Pki;
using Kubes.Controller.Components;
using Kubes.Controller.Components.Flags;
using Kubes.Controller.Components.KubeApiServer;
using Kubes.Controller.Components.KubeControllerManager;
using Kubes.Controller.Components.KubeScheduler;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;
using SecretEncryptionKey = Kubes.Controller.Components.KubeApiServer.SecretEncryptionKey;

namespace Kubes.Controller.Tests.Components.KubeApiServer;

/// <summary>
/// The control plane as the coordinator decides it, and what the agent renders of it: the sections of a controller's role
/// configuration, and every flag the agent sets checked against the flag list of each supported minor and the locked flags.
/// </summary>
public sealed class ControlPlaneComponentsTests
{
    private static readonly string Key0 = NewKey();
    private static readonly string Key2 = NewKey();

    private static string NewKey()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportSubjectPublicKeyInfoPem();
    }

    private static readonly ClusterMaterial Material = ClusterMaterial.None with
    {
        ServiceAccountPublicKeys = EquatableMap.Of(new Dictionary<string, string>
        {
            ["controller-2"] = Key2, ["controller-0"] = Key0, ["controller-9"] = NewKey(),
        }),
        SecretEncryptionKeys = EquatableList.Of([new SecretEncryptionKey("key-b", Convert.ToBase64String(new byte[32])), new SecretEncryptionKey("key-a", Convert.ToBase64String(new byte[32]))]),
    };

    private static RoleConfig ControllerConfig(ClusterSpec spec, int slotIndex = 0, ClusterMaterial? material = null)
    {
        var topology = ClusterTopology.From(spec);
        var slot = topology.FindSlot(InstanceRole.Controller, slotIndex)!;
        var artifacts = new[] { ArtifactNames.KubeApiServer, ArtifactNames.KubeControllerManager, ArtifactNames.KubeScheduler, ArtifactNames.OpenSsh }
            .Select(name => new Artifact { Name = name, Version = "1.36.3", Sha256 = new string('a', 64), Urls = { "https://example.invalid/" + name } });
        return new TopologyRoleConfigSource(topology, _ => artifacts).For(slot, new VerifiedInstance(spec.Name, "i-1", slot, slot.PrivateIp!),
            material ?? Material).Config;
    }

    [Fact]
    public void A_controller_runs_the_three_components_and_nothing_else_does()
    {
        var names = new[] { ComponentNames.KubeApiServer, ComponentNames.KubeControllerManager, ComponentNames.KubeScheduler };

        Assert.Equal(names, ClusterComponents.On(InstanceRole.Controller).Select(c => c.Name).Where(names.Contains));
        foreach (var role in new[] { InstanceRole.Bastion, InstanceRole.Etcd, InstanceRole.Node })
            Assert.DoesNotContain(ClusterComponents.On(role), c => names.Contains(c.Name));
        Assert.Equal([ArtifactNames.KubeApiServer, ArtifactNames.KubeControllerManager, ArtifactNames.KubeScheduler],
            names.SelectMany(name => ClusterComponents.Find(name)!.Artifacts));
    }

    [Fact]
    public void The_apiserver_reaches_every_etcd_member_and_issues_tokens_for_the_ha_endpoint()
    {
        var aws = ControllerConfig(ClusterSpecDefaults.Aws("prod")).KubeApiserver;
        var local = ControllerConfig(ClusterSpecDefaults.Local("demo")).KubeApiserver;
        var localTopology = ClusterTopology.From(ClusterSpecDefaults.Local("demo"));

        Assert.Equal(["https://10.0.0.10:2379", "https://10.0.16.10:2379", "https://10.0.32.10:2379"], aws.EtcdServers);
        Assert.Equal("https://api.prod.kubes.internal:6443", aws.ApiEndpoint);
        Assert.Equal($"https://{localTopology.Reserved.ApiEndpoint}:6443", local.ApiEndpoint);
        Assert.Equal("10.32.0.0/24", aws.ServiceClusterIpRange);
    }

    [Fact]
    public void Once_the_provider_tells_the_load_balancers_name_the_issuer_is_it()
    {
        var material = Material with { ApiEndpoint = new ApiEndpoint("prod-api-0123456789abcdef.elb.us-east-1.amazonaws.com", 6443) };

        var apiServer = ControllerConfig(ClusterSpecDefaults.Aws("prod"), 0, material).KubeApiserver;

        Assert.Equal("https://prod-api-0123456789abcdef.elb.us-east-1.amazonaws.com:6443", apiServer.ApiEndpoint);
    }

    [Fact]
    public void Every_controller_gets_the_keys_of_the_topologys_controllers_by_slot_and_the_encryption_keys_in_order()
    {
        var apiServer = ControllerConfig(ClusterSpecDefaults.Aws("prod"), 1).KubeApiserver;

        Assert.Equal([Key0, Key2], apiServer.ServiceAccountPublicKeys);
        Assert.Equal(["key-b", "key-a"], apiServer.EncryptionKeys.Select(k => k.Name));
    }

    [Fact]
    public void A_new_controller_key_changes_every_controllers_configuration_so_re_sync_converges()
    {
        var spec = ClusterSpecDefaults.Aws("prod");
        var before = ControllerConfig(spec, 1);
        var after = ControllerConfig(spec, 1, Material with
        {
            ServiceAccountPublicKeys = EquatableMap.Of(new Dictionary<string, string>(Material.ServiceAccountPublicKeys) { ["controller-1"] = NewKey() }),
        });

        Assert.NotEqual(before.ComputeConfigHash(), after.ComputeConfigHash());
        Assert.Equal(Material, Material with { ServiceAccountPublicKeys = EquatableMap.Of(new Dictionary<string, string>(Material.ServiceAccountPublicKeys)) });
    }

    [Fact]
    public void The_controller_manager_allocates_node_ranges_from_the_pod_network()
    {
        var controllerManager = ControllerConfig(ClusterSpecDefaults.Aws("prod")).KubeControllerManager;

        Assert.Equal(("10.200.0.0/16", "10.32.0.0/24"), (controllerManager.ClusterCidr, controllerManager.ServiceClusterIpRange));
    }

    [Fact]
    public void The_operators_flags_reach_each_section()
    {
        var spec = ClusterSpecDefaults.Aws("prod") with
        {
            Components = new Dictionary<string, ComponentSpec>
            {
                ["kube-apiserver"] = new() { ExtraArgs = new Dictionary<string, string> { ["event-ttl"] = "2h" } },
                ["kube-controller-manager"] = new() { ExtraArgs = new Dictionary<string, string> { ["terminated-pod-gc-threshold"] = "500" } },
                ["kube-scheduler"] = new() { ExtraArgs = new Dictionary<string, string> { ["v"] = "2" } },
            },
        };
        Assert.Empty(SpecValidator.Validate(spec));

        var config = ControllerConfig(spec);

        Assert.Equal([("event-ttl", "2h")], config.KubeApiserver.ExtraArgs.Select(f => (f.Name, f.Value)));
        Assert.Equal([("terminated-pod-gc-threshold", "500")], config.KubeControllerManager.ExtraArgs.Select(f => (f.Name, f.Value)));
        Assert.Equal([("v", "2")], config.KubeScheduler.ExtraArgs.Select(f => (f.Name, f.Value)));
    }

    [Theory]
    [InlineData("kube-apiserver", "anonymous-auth")]
    [InlineData("kube-apiserver", "service-account-issuer")]
    [InlineData("kube-controller-manager", "cluster-signing-key-file")]
    [InlineData("kube-scheduler", "bind-address")]
    public void A_locked_flag_is_refused_with_its_reason(string component, string flag)
    {
        var spec = ClusterSpecDefaults.Aws("prod") with
        {
            Components = new Dictionary<string, ComponentSpec> { [component] = new() { ExtraArgs = new Dictionary<string, string> { [flag] = "x" } } },
        };

        var problem = Assert.Single(SpecValidator.Validate(spec));

        Assert.Equal($"spec.components.{component}.extraArgs.{flag}", problem.Path);
        Assert.StartsWith($"--{flag} cannot be overridden: ", problem.Message);
    }

    /// <summary>What the agent renders from the coordinator's sections, for every supported minor: each flag one the program
    /// has (its embedded list), and each one the operator cannot override.</summary>
    [Fact]
    public void Every_flag_the_agent_sets_is_one_the_minor_has_and_one_the_operator_cannot_override() =>
        RenderedFlags.AreKnownAndLocked(spec => ControllerConfig(spec), new Dictionary<string, Func<RoleConfig, AgentPaths, PkiFiles, IEnumerable<string>>>
        {
            [ComponentNames.KubeApiServer] = (config, paths, pki) =>
                AgentApiServer.KubeApiServerFlags.For(new AgentApiServer.KubeApiServerLayout(config, paths, pki)).ToFlagSet().Entries.Select(e => e.Name),
            [ComponentNames.KubeControllerManager] = (config, paths, pki) =>
                AgentControllerManager.KubeControllerManagerFlags.For(new AgentControllerManager.KubeControllerManagerLayout(config, paths, pki)).ToFlagSet().Entries.Select(e => e.Name),
            [ComponentNames.KubeScheduler] = (config, paths, pki) =>
                AgentScheduler.KubeSchedulerFlags.For(new AgentScheduler.KubeSchedulerLayout(config, paths, pki)).ToFlagSet().Entries.Select(e => e.Name),
        });

    [Fact]
    public void Every_locked_flag_is_a_flag_of_its_component() =>
        RenderedFlags.LockedAreKnown(ComponentNames.KubeApiServer, ComponentNames.KubeControllerManager, ComponentNames.KubeScheduler);
}
