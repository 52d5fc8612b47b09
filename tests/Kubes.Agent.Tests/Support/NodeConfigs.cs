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
        Certificates =
        {
            new CertificateRequestSpec { Identity = $"kubelet-client/{name}", KeyAlgorithm = "ecdsa-p256", FileStem = "kubelet-client" },
            new CertificateRequestSpec { Identity = $"kubelet-serving/{name}", KeyAlgorithm = "ecdsa-p256", FileStem = "kubelet-serving" },
            new CertificateRequestSpec { Identity = $"kube-proxy/{name}", KeyAlgorithm = "ecdsa-p256", FileStem = "kube-proxy" },
        },
        Kubelet = new KubeletConfig
        {
            ApiEndpoint = "https://10.226.0.3:6443", ClusterDns = "10.32.0.10", ClusterDomain = "cluster.local",
            NodeLabels =
            {
                new Flag { Name = "kubes.io/role", Value = "node" },
                new Flag { Name = "topology.kubernetes.io/region", Value = "us-east-1" },
                new Flag { Name = "topology.kubernetes.io/zone", Value = "us-east-1a" },
            },
        },
        KubeProxy = new KubeProxyConfig { ApiEndpoint = "https://10.226.0.3:6443", ClusterCidr = "10.200.0.0/16", Mode = "iptables" },
    };

    /// <summary>A node of an Auto Scaling group on AWS: named by its instance id, its provider id set, the NLB's name as endpoint.</summary>
    public static RoleConfig AwsGroupNode(params Artifact[] artifacts)
    {
        var config = Node("i-0123456789abcdef0", artifacts);
        config.PrivateIp = "10.0.1.57";
        const string endpoint = "https://demo-api-0123456789abcdef.elb.us-east-1.amazonaws.com:6443";
        config.Kubelet.ApiEndpoint = endpoint;
        config.Kubelet.ProviderId = "aws:///us-east-1a/i-0123456789abcdef0";
        config.KubeProxy.ApiEndpoint = endpoint;
        return config;
    }

    public static Artifact Artifact(string name, string version) =>
        new() { Name = name, Version = version, Sha256 = new string('a', 64), Urls = { $"https://example.invalid/{name}" } };
}
