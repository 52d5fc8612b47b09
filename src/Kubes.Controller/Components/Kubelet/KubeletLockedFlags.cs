namespace Kubes.Controller.Components.Kubelet;

/// <summary>The kubelet flags an override may not name, and why: Kubes sets them, or they would undo what it sets.</summary>
public static class KubeletLockedFlags
{
    private const string ConfigFile = "Kubes renders the kubelet's KubeletConfiguration and sets this there";
    private const string Identity = "the Node's name, address and labels are the ones its certificate and NodeRestriction allow";
    private const string Trust = "port 10250 accepts only the apiserver's kubelet-client certificate and API-authorized callers";
    private const string Certificates = "the agent makes the kubelet's keys and renews its certificates; the kubelet rotates none itself";

    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["config"] = ConfigFile,
        ["kubeconfig"] = Identity,
        ["bootstrap-kubeconfig"] = Certificates,
        ["cert-dir"] = Certificates,
        ["rotate-certificates"] = Certificates,
        ["rotate-server-certificates"] = Certificates,
        ["hostname-override"] = Identity,
        ["node-ip"] = Identity,
        ["node-labels"] = Identity,
        ["provider-id"] = Identity,
        ["register-node"] = Identity,
        ["root-dir"] = ConfigFile,
        ["anonymous-auth"] = Trust,
        ["authentication-token-webhook"] = Trust,
        ["authorization-mode"] = Trust,
        ["client-ca-file"] = Trust,
        ["read-only-port"] = Trust,
        ["tls-cert-file"] = Trust,
        ["tls-private-key-file"] = Trust,
        ["tls-min-version"] = Trust,
        ["tls-cipher-suites"] = Trust,
        ["container-runtime-endpoint"] = ConfigFile,
        ["cgroup-driver"] = ConfigFile,
        ["cluster-dns"] = ConfigFile,
        ["cluster-domain"] = ConfigFile,
        ["protect-kernel-defaults"] = ConfigFile,
    };
}
