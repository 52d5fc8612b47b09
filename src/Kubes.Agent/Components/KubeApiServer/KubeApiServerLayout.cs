using System.Net;
using System.Security.Cryptography;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Flags;
using Kubes.Agent.Pki;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.KubeApiServer;

/// <summary>
/// Where a controller's kube-apiserver keeps its pieces (under the agent's root) and what it is told: its four certificates
/// (serving; etcd client; kubelet client; front-proxy client), the etcd members, the HA endpoint (the service-account
/// issuer), every controller's service-account public key, the Secret encryption keys. Refuses a configuration that lacks
/// any of them.
/// </summary>
public sealed class KubeApiServerLayout
{
    public const string ConfigFolder = "/etc/kubernetes/apiserver";
    public const string AuditLogFolder = "/var/log/kubernetes/audit";

    /// <summary>What the service-account key pair is made of, by the agent, on this instance.</summary>
    public const int ServiceAccountKeyBits = 2048;

    public KubeApiServerLayout(RoleConfig config, AgentPaths paths, PkiFiles pki)
    {
        Config = config;
        ApiServer = config.KubeApiserver ?? throw Invalid("has no kube_apiserver section");
        if (!IPAddress.TryParse(config.PrivateIp, out var address)) throw Invalid($"has private_ip '{config.PrivateIp}', which is not an address");
        if (!Uri.TryCreate(ApiServer.ApiEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme != Uri.UriSchemeHttps)
            throw Invalid($"has the API endpoint '{ApiServer.ApiEndpoint}', which is not an https URL");
        if (ApiServer.EtcdServers.Count == 0) throw Invalid("names no etcd servers");
        if (ApiServer.EtcdServers.FirstOrDefault(s => !Uri.TryCreate(s, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps) is { } plain)
            throw Invalid($"names the etcd server '{plain}', which is not an https URL");
        if (string.IsNullOrEmpty(ApiServer.ServiceClusterIpRange)) throw Invalid("names no service network");
        if (ApiServer.EncryptionKeys.Count == 0) throw Invalid("holds no Secret encryption key");
        foreach (var key in ApiServer.EncryptionKeys)
        {
            if (string.IsNullOrEmpty(key.Name) || !IsSecretboxKey(key.Secret))
                throw Invalid($"holds the encryption key '{key.Name}', which is not named or not 32 bytes of base64");
        }
        foreach (var stem in RequiredCertificates.Where(stem => config.Certificates.All(c => c.FileStem != stem)))
            throw Invalid($"asks for no '{stem}' certificate");
        Artifact = RequiredArtifact.Of(config, ArtifactNames.KubeApiServer, ComponentNames.KubeApiServer);

        Minor = KubernetesMinor.Of(config);
        Address = address;
        ApiEndpoint = endpoint;
        Program = Path.Join(paths.BinDir, "kube-apiserver");
        AuditPolicyFile = paths.Under($"{ConfigFolder}/audit-policy.yaml");
        AuthenticationConfigFile = paths.Under($"{ConfigFolder}/authentication-config.yaml");
        EncryptionConfigFile = paths.Under($"{ConfigFolder}/encryption-config.yaml");
        ServiceAccountPublicKeysFile = paths.Under($"{ConfigFolder}/service-account-public-keys.pem");
        AuditLogFile = paths.Under($"{AuditLogFolder}/audit.log");
        ServiceAccountKey = new ServiceAccountKeyFiles(pki);
        ServingCertificate = pki.CertificatePath(CertificateFiles.ApiServer);
        ServingKey = pki.KeyPath(CertificateFiles.ApiServer);
        ClientCaFile = pki.CaPath(CertificateFiles.ApiServer);
        EtcdCaFile = pki.CaPath(CertificateFiles.ApiServerEtcdClient);
        EtcdCertificate = pki.CertificatePath(CertificateFiles.ApiServerEtcdClient);
        EtcdKey = pki.KeyPath(CertificateFiles.ApiServerEtcdClient);
        KubeletCaFile = pki.CaPath(CertificateFiles.ApiServerKubeletClient);
        KubeletClientCertificate = pki.CertificatePath(CertificateFiles.ApiServerKubeletClient);
        KubeletClientKey = pki.KeyPath(CertificateFiles.ApiServerKubeletClient);
        FrontProxyCaFile = pki.CaPath(CertificateFiles.FrontProxyClient);
        FrontProxyCertificate = pki.CertificatePath(CertificateFiles.FrontProxyClient);
        FrontProxyKey = pki.KeyPath(CertificateFiles.FrontProxyClient);
    }

    public static IReadOnlyList<string> RequiredCertificates { get; } =
        [CertificateFiles.ApiServer, CertificateFiles.ApiServerEtcdClient, CertificateFiles.ApiServerKubeletClient, CertificateFiles.FrontProxyClient];

    public RoleConfig Config { get; }
    public KubeApiServerConfig ApiServer { get; }
    public Artifact Artifact { get; }
    public KubernetesMinor Minor { get; }
    /// <summary>The slot's private address: the apiserver binds to it alone and advertises it.</summary>
    public IPAddress Address { get; }
    public Uri ApiEndpoint { get; }
    public string Program { get; }
    public string AuditPolicyFile { get; }
    public string AuthenticationConfigFile { get; }
    public string EncryptionConfigFile { get; }
    /// <summary>Every controller's service-account public key, this one's included: what verifies tokens.</summary>
    public string ServiceAccountPublicKeysFile { get; }
    public string AuditLogFile { get; }
    public ServiceAccountKeyFiles ServiceAccountKey { get; }
    public string ServingCertificate { get; }
    public string ServingKey { get; }
    /// <summary>The Kubernetes CA: it signs every client certificate the API accepts (nodes, components, the operator).</summary>
    public string ClientCaFile { get; }
    public string EtcdCaFile { get; }
    public string EtcdCertificate { get; }
    public string EtcdKey { get; }
    /// <summary>The Kubernetes CA, which signs the kubelets' serving certificates.</summary>
    public string KubeletCaFile { get; }
    public string KubeletClientCertificate { get; }
    public string KubeletClientKey { get; }
    /// <summary>The front-proxy CA: only it may vouch for a user in request headers.</summary>
    public string FrontProxyCaFile { get; }
    public string FrontProxyCertificate { get; }
    public string FrontProxyKey { get; }

    public int Port => Ports.KubeApiServer;

    /// <summary>Where the agent reaches it: on the address it binds to.</summary>
    public Uri LocalUrl => new($"https://{(Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address.ToString())}:{Port}/");

    /// <summary>
    /// What the running apiserver reads only at start: a change restarts it. Its serving certificate and key are left out:
    /// kube-apiserver reloads them itself when they change (dynamic serving certificates), so a renewal restarts nothing.
    /// </summary>
    public IReadOnlyList<string> FilesItReads =>
    [
        AuditPolicyFile, AuthenticationConfigFile, EncryptionConfigFile, ServiceAccountPublicKeysFile, ServiceAccountKey.PrivateKeyFile,
        ClientCaFile, EtcdCaFile, EtcdCertificate, EtcdKey, KubeletCaFile, KubeletClientCertificate, KubeletClientKey,
        FrontProxyCaFile, FrontProxyCertificate, FrontProxyKey,
    ];

    private static bool IsSecretboxKey(string secret)
    {
        var bytes = new byte[33];
        return Convert.TryFromBase64String(secret, bytes, out var written) && written == 32;
    }

    private InvalidRoleConfigException Invalid(string problem) =>
        new($"the kube-apiserver role configuration for {Config?.Name ?? "this instance"} {problem}; the coordinator's RoleConfig must be fixed");
}

/// <summary>
/// The controller's service-account signing key, made on this instance (<see cref="ServiceAccountKeyStep"/>): the private
/// key (0600) signs the tokens this apiserver issues and those of the controller-manager beside it; only the public half
/// leaves, to the coordinator, which hands it to every apiserver.
/// </summary>
public sealed class ServiceAccountKeyFiles(PkiFiles pki)
{
    public const string Stem = "service-account";

    public string PrivateKeyFile { get; } = pki.KeyPath(Stem);

    /// <summary>The public key of the key this instance made (SubjectPublicKeyInfo PEM, as .NET writes it, which is how the
    /// coordinator records it too), or null when there is none yet or it is unreadable.</summary>
    public string? ReadPublicKey()
    {
        try
        {
            if (!File.Exists(PrivateKeyFile)) return null;
            using var rsa = RSA.Create();
            rsa.ImportFromPem(File.ReadAllText(PrivateKeyFile));
            return rsa.ExportSubjectPublicKeyInfoPem();
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or IOException)
        {
            return null;
        }
    }
}
