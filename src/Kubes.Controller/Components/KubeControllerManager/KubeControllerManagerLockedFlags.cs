namespace Kubes.Controller.Components.KubeControllerManager;

/// <summary>The kube-controller-manager flags an override may not name, and why: Kubes sets them, or they would undo what it sets.</summary>
public static class KubeControllerManagerLockedFlags
{
    private const string Identity = "Kubes reaches its controller's apiserver with the controller-manager's own client certificate";
    private const string Serving = "Kubes serves its port on loopback only, with strong TLS";
    private const string HighAvailability = "every controller runs one; leader election lets exactly one act";
    private const string Credentials = "each controller acts with its own service account (CIS 1.3.3)";
    private const string Tokens = "Kubes signs legacy service-account tokens with the controller's own key and publishes the Kubernetes CA";
    private const string Network = "Kubes takes the pod and Service networks from spec.network";
    private const string NoCaKey = "no CA private key is on any instance: the built-in CSR signers are not served, agents renew the certificates";

    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["kubeconfig"] = Identity,
        ["authentication-kubeconfig"] = Identity,
        ["authorization-kubeconfig"] = Identity,
        ["master"] = Identity,
        ["cluster-name"] = "Kubes names the cluster after spec.name",
        ["bind-address"] = Serving,
        ["secure-port"] = Serving,
        ["tls-min-version"] = Serving,
        ["tls-cipher-suites"] = Serving,
        ["profiling"] = "profiling stays off (CIS 1.3.2)",
        ["leader-elect"] = HighAvailability,
        ["use-service-account-credentials"] = Credentials,
        ["service-account-private-key-file"] = Tokens,
        ["root-ca-file"] = Tokens,
        ["allocate-node-cidrs"] = Network,
        ["cluster-cidr"] = Network,
        ["service-cluster-ip-range"] = Network,
        ["cluster-signing-cert-file"] = NoCaKey,
        ["cluster-signing-key-file"] = NoCaKey,
        ["cluster-signing-kubelet-serving-cert-file"] = NoCaKey,
        ["cluster-signing-kubelet-serving-key-file"] = NoCaKey,
        ["cluster-signing-kubelet-client-cert-file"] = NoCaKey,
        ["cluster-signing-kubelet-client-key-file"] = NoCaKey,
        ["cluster-signing-kube-apiserver-client-cert-file"] = NoCaKey,
        ["cluster-signing-kube-apiserver-client-key-file"] = NoCaKey,
        ["cluster-signing-legacy-unknown-cert-file"] = NoCaKey,
        ["cluster-signing-legacy-unknown-key-file"] = NoCaKey,
    };
}
