using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Support;

/// <summary>Role configurations of a controller, as the coordinator sends them, for the control-plane components' tests.</summary>
public static class ControllerConfigs
{
    /// <summary>Another controller's service-account public key, as the coordinator hands it on.</summary>
    public const string ServiceAccountKey1 =
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAlP8wpVb+QuqnqIeAeku9\nAHxURKyFWqohJkM0YbWMhkjcjmal25GawSHIO17hJZWiXNu5JWo4mSJpxJTgWzpP\n"
        + "RxRwgzGipRv9zWu3EtqG0iS3Upjog6hnUfO4Oc9/CQUydT/O9toRNHEXqxx8dL8L\nnrnPoIHgungwZDgRTstPuOQHu1Wdhbd/8unL2p6nAB/o+ExVftWWO7diSTzemDRH\n"
        + "fv1a1PSpcwL7SFa+FFMNkOuCb0/ItEfNAAu8tTcq///rRO/BvtJdenIAChqRM5BE\nsDsZ3jP/gvz3zQINiGtjnzGp2c9hsTQy373ZAVkNrlDRKRpqKsTmxfseaHzZkqJR\n1wIDAQAB\n-----END PUBLIC KEY-----";

    /// <summary>A secretbox key: 32 bytes, base64.</summary>
    public const string EncryptionSecret = "c2VjcmV0LWtleS1vZi10aGlydHktdHdvLWJ5dGVzISE=";

    public static RoleConfig Controller(string name = "controller-0", params Artifact[] artifacts)
    {
        var config = new RoleConfig
        {
            Cluster = "demo",
            Role = Role.Controller,
            Name = name,
            PrivateIp = "10.0.0.20",
            AvailabilityZone = "us-east-1a",
            KubernetesVersion = "1.36.3",
            Artifacts = { artifacts },
            KubeApiserver = new KubeApiServerConfig
            {
                EtcdServers = { "https://10.0.0.10:2379", "https://10.0.16.10:2379", "https://10.0.32.10:2379" },
                ServiceClusterIpRange = "10.32.0.0/24",
                ApiEndpoint = "https://demo-api-0123456789abcdef.elb.us-east-1.amazonaws.com:6443",
                ServiceAccountPublicKeys = { ServiceAccountKey1 },
                EncryptionKeys = { new SecretEncryptionKey { Name = "key-20300314", Secret = EncryptionSecret } },
            },
            KubeControllerManager = new KubeControllerManagerConfig { ClusterCidr = "10.200.0.0/16", ServiceClusterIpRange = "10.32.0.0/24" },
            KubeScheduler = new KubeSchedulerConfig(),
        };
        foreach (var stem in new[] { "apiserver", "apiserver-etcd-client", "apiserver-kubelet-client", "front-proxy-client", "controller-manager", "scheduler" })
            config.Certificates.Add(new CertificateRequestSpec { Identity = $"{stem}/{name}", KeyAlgorithm = "ecdsa-p256", FileStem = stem });
        return config;
    }
}
