using Kubes.Agent.Flags;

namespace Kubes.Agent.Components.KubeApiServer;

/// <summary>
/// kube-apiserver's command line as data, every flag Kubes sets in one place (docs/control-plane.md says why each): bound to
/// the slot's private address; etcd over mutual TLS; client certificates from the Kubernetes CA; Node and RBAC
/// authorization with NodeRestriction; the kubelets reached with a client certificate and their serving certificates
/// verified; front-proxy headers trusted only from the front-proxy CA; tokens issued for the HA endpoint, signed with this
/// controller's key and verified with every controller's; anonymous requests only to the health endpoints; an audit log;
/// Secrets encrypted at rest; strong TLS; no profiling.
/// </summary>
public sealed record KubeApiServerFlags
{
    /// <summary>How the audit log is kept: rotated at 100 MB, 10 files, 30 days (the CIS Benchmark's figures).</summary>
    public const int AuditLogMaxAgeDays = 30;
    public const int AuditLogMaxBackups = 10;
    public const int AuditLogMaxSizeMegabytes = 100;

    /// <summary>The name the front proxy's client certificate carries (its common name, from the issuance policy).</summary>
    public const string FrontProxyClientName = "front-proxy-client";

    public required string AdvertiseAddress { get; init; }
    public required string BindAddress { get; init; }
    public required int SecurePort { get; init; }
    public required IReadOnlyList<string> EtcdServers { get; init; }
    public required string EtcdCaFile { get; init; }
    public required string EtcdCertFile { get; init; }
    public required string EtcdKeyFile { get; init; }
    public required string TlsCertFile { get; init; }
    public required string TlsPrivateKeyFile { get; init; }
    public required string ClientCaFile { get; init; }
    public required string KubeletCertificateAuthority { get; init; }
    public required string KubeletClientCertificate { get; init; }
    public required string KubeletClientKey { get; init; }
    public required string ProxyClientCertFile { get; init; }
    public required string ProxyClientKeyFile { get; init; }
    public required string RequestHeaderClientCaFile { get; init; }
    public required string ServiceAccountIssuer { get; init; }
    public required string ServiceAccountKeyFile { get; init; }
    public required string ServiceAccountSigningKeyFile { get; init; }
    public required string ServiceClusterIpRange { get; init; }
    public required string AuthenticationConfig { get; init; }
    public required string AuditPolicyFile { get; init; }
    public required string AuditLogPath { get; init; }
    public required string EncryptionProviderConfig { get; init; }

    public static KubeApiServerFlags For(KubeApiServerLayout layout) => new()
    {
        AdvertiseAddress = layout.Address.ToString(),
        BindAddress = layout.Address.ToString(),
        SecurePort = layout.Port,
        EtcdServers = [.. layout.ApiServer.EtcdServers],
        EtcdCaFile = layout.EtcdCaFile,
        EtcdCertFile = layout.EtcdCertificate,
        EtcdKeyFile = layout.EtcdKey,
        TlsCertFile = layout.ServingCertificate,
        TlsPrivateKeyFile = layout.ServingKey,
        ClientCaFile = layout.ClientCaFile,
        KubeletCertificateAuthority = layout.KubeletCaFile,
        KubeletClientCertificate = layout.KubeletClientCertificate,
        KubeletClientKey = layout.KubeletClientKey,
        ProxyClientCertFile = layout.FrontProxyCertificate,
        ProxyClientKeyFile = layout.FrontProxyKey,
        RequestHeaderClientCaFile = layout.FrontProxyCaFile,
        ServiceAccountIssuer = layout.ApiEndpoint.AbsoluteUri.TrimEnd('/'),
        ServiceAccountKeyFile = layout.ServiceAccountPublicKeysFile,
        ServiceAccountSigningKeyFile = layout.ServiceAccountKey.PrivateKeyFile,
        ServiceClusterIpRange = layout.ApiServer.ServiceClusterIpRange,
        AuthenticationConfig = layout.AuthenticationConfigFile,
        AuditPolicyFile = layout.AuditPolicyFile,
        AuditLogPath = layout.AuditLogFile,
        EncryptionProviderConfig = layout.EncryptionConfigFile,
    };

    public FlagSet ToFlagSet() => new FlagSet()
        .Add("advertise-address", AdvertiseAddress)
        .Add("bind-address", BindAddress)
        .Add("secure-port", SecurePort)
        .Add("etcd-servers", EtcdServers)
        .Add("etcd-cafile", EtcdCaFile)
        .Add("etcd-certfile", EtcdCertFile)
        .Add("etcd-keyfile", EtcdKeyFile)
        .Add("tls-cert-file", TlsCertFile)
        .Add("tls-private-key-file", TlsPrivateKeyFile)
        .Add("tls-min-version", StrongTls.MinVersion)
        .Add("tls-cipher-suites", StrongTls.CipherSuites)
        .Add("client-ca-file", ClientCaFile)
        .Add("authentication-config", AuthenticationConfig)
        .Add("authorization-mode", ["Node", "RBAC"])
        .Add("enable-admission-plugins", ["NodeRestriction"])
        .Add("allow-privileged", true)
        .Add("kubelet-certificate-authority", KubeletCertificateAuthority)
        .Add("kubelet-client-certificate", KubeletClientCertificate)
        .Add("kubelet-client-key", KubeletClientKey)
        .Add("kubelet-preferred-address-types", ["InternalIP", "ExternalIP", "Hostname"])
        .Add("proxy-client-cert-file", ProxyClientCertFile)
        .Add("proxy-client-key-file", ProxyClientKeyFile)
        .Add("requestheader-client-ca-file", RequestHeaderClientCaFile)
        .Add("requestheader-allowed-names", [FrontProxyClientName])
        .Add("requestheader-username-headers", ["X-Remote-User"])
        .Add("requestheader-group-headers", ["X-Remote-Group"])
        .Add("requestheader-uid-headers", ["X-Remote-Uid"])
        .Add("requestheader-extra-headers-prefix", ["X-Remote-Extra-"])
        .Add("enable-aggregator-routing", true)
        .Add("service-account-issuer", ServiceAccountIssuer)
        .Add("service-account-key-file", ServiceAccountKeyFile)
        .Add("service-account-signing-key-file", ServiceAccountSigningKeyFile)
        .Add("service-account-lookup", true)
        .Add("service-cluster-ip-range", ServiceClusterIpRange)
        .Add("audit-policy-file", AuditPolicyFile)
        .Add("audit-log-path", AuditLogPath)
        .Add("audit-log-maxage", AuditLogMaxAgeDays)
        .Add("audit-log-maxbackup", AuditLogMaxBackups)
        .Add("audit-log-maxsize", AuditLogMaxSizeMegabytes)
        .Add("encryption-provider-config", EncryptionProviderConfig)
        .Add("profiling", false);
}
