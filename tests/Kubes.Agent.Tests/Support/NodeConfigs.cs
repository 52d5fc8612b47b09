using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Support;

/// <summary>Role configurations of a node, as the coordinator sends them, for the node components' tests.</summary>
public static class NodeConfigs
{
    public static RoleConfig Node(string name = "node-0", params Artifact[] artifacts) => new()
    {
        Cluster = "demo",
        Role = Role.Node,
        Name = name,
        PrivateIp = "10.226.0.100",
        AvailabilityZone = "us-east-1a",
        KubernetesVersion = "1.36.3",
        Artifacts = { artifacts },
        Containerd = new ContainerdConfig { SandboxImage = "registry.k8s.io/pause:3.10.1" },
        Cni = new CniConfig { Plugin = "calico", PodCidr = "10.200.0.0/16" },
    };

    public static Artifact Artifact(string name, string version) =>
        new() { Name = name, Version = version, Sha256 = new string('a', 64), Urls = { $"https://example.invalid/{name}" } };
}
