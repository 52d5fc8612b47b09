namespace Kubes.Controller.Components.KubeApiServer;

/// <summary>The kube-apiserver flags an override may not name, and why: Kubes sets them, or they would undo what it sets.</summary>
public static class KubeApiServerLockedFlags
{
    private const string Place = "Kubes binds the apiserver to its controller's private address on 6443 and advertises that";
    private const string Etcd = "Kubes connects every apiserver to every etcd member over mutual TLS with the etcd CA";
    private const string Serving = "Kubes serves the certificate the issuance policy makes for every name of the apiserver, with strong TLS only";
    private const string Clients = "Kubes trusts client certificates of the Kubernetes CA, and anonymous requests only to the health endpoints";
    private const string Authorization = "Kubes authorizes with Node and RBAC, and admits with NodeRestriction";
    private const string Kubelets = "Kubes reaches kubelets with the apiserver's kubelet-client certificate and verifies theirs";
    private const string FrontProxy = "Kubes trusts request headers only from the front-proxy CA's front-proxy-client";
    private const string Tokens = "Kubes issues service-account tokens for the HA endpoint, signed with each controller's own key and verified with every controller's";
    private const string Audit = "Kubes keeps the audit log by its policy, rotated";
    private const string Encryption = "Kubes encrypts Secrets at rest with the cluster's keys";
    private const string Network = "Kubes takes the Service network from spec.network.serviceCidr";
    private const string Oidc = "kube-apiserver refuses --oidc-* beside --authentication-config, which Kubes sets";
    private const string Bypass = "it would let requests in past the authentication and authorization Kubes sets";

    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["advertise-address"] = Place,
        ["bind-address"] = Place,
        ["secure-port"] = Place,
        ["etcd-servers"] = Etcd,
        ["etcd-cafile"] = Etcd,
        ["etcd-certfile"] = Etcd,
        ["etcd-keyfile"] = Etcd,
        ["etcd-servers-overrides"] = Etcd,
        ["tls-cert-file"] = Serving,
        ["tls-private-key-file"] = Serving,
        ["tls-min-version"] = Serving,
        ["tls-cipher-suites"] = Serving,
        ["tls-sni-cert-key"] = Serving,
        ["cert-dir"] = Serving,
        ["client-ca-file"] = Clients,
        ["authentication-config"] = Clients,
        ["anonymous-auth"] = Clients,
        ["authorization-mode"] = Authorization,
        ["authorization-config"] = Authorization,
        ["enable-admission-plugins"] = Authorization,
        ["disable-admission-plugins"] = Authorization,
        ["admission-control"] = Authorization,
        ["kubelet-certificate-authority"] = Kubelets,
        ["kubelet-client-certificate"] = Kubelets,
        ["kubelet-client-key"] = Kubelets,
        ["proxy-client-cert-file"] = FrontProxy,
        ["proxy-client-key-file"] = FrontProxy,
        ["requestheader-client-ca-file"] = FrontProxy,
        ["requestheader-allowed-names"] = FrontProxy,
        ["requestheader-username-headers"] = FrontProxy,
        ["requestheader-group-headers"] = FrontProxy,
        ["requestheader-uid-headers"] = FrontProxy,
        ["requestheader-extra-headers-prefix"] = FrontProxy,
        ["service-account-issuer"] = Tokens,
        ["service-account-key-file"] = Tokens,
        ["service-account-signing-key-file"] = Tokens,
        ["service-account-lookup"] = Tokens,
        ["audit-policy-file"] = Audit,
        ["audit-log-path"] = Audit,
        ["audit-log-maxage"] = Audit,
        ["audit-log-maxbackup"] = Audit,
        ["audit-log-maxsize"] = Audit,
        ["encryption-provider-config"] = Encryption,
        ["service-cluster-ip-range"] = Network,
        ["profiling"] = "profiling stays off (CIS 1.2.15): it exposes the apiserver's internals",
        ["allow-privileged"] = "the CNI's and the CSI driver's pods are privileged",
        ["enable-aggregator-routing"] = "controllers run no kube-proxy, so the aggregator reaches extension apiservers by endpoint",
        ["kubelet-preferred-address-types"] = Kubelets,
        ["token-auth-file"] = Bypass,
        ["enable-bootstrap-token-auth"] = Bypass,
        ["authentication-token-webhook-config-file"] = Bypass,
        ["authorization-webhook-config-file"] = Bypass,
        ["authorization-policy-file"] = Bypass,
        ["oidc-issuer-url"] = Oidc,
        ["oidc-client-id"] = Oidc,
        ["oidc-ca-file"] = Oidc,
        ["oidc-groups-claim"] = Oidc,
        ["oidc-groups-prefix"] = Oidc,
        ["oidc-required-claim"] = Oidc,
        ["oidc-signing-algs"] = Oidc,
        ["oidc-username-claim"] = Oidc,
        ["oidc-username-prefix"] = Oidc,
    };
}
