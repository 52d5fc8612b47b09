using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kubes.Agent.Tests.Support;

namespace Kubes.StandIns.Tests.Support;

/// <summary>
/// The files a controller's components are given, made in a test folder the way the product lays them out: a cluster
/// CA and a front-proxy CA (test CAs), the apiserver's serving, kubelet-client and proxy-client certificates, its etcd
/// client certificate from the etcd cluster's CA, the service-account key pair, kubeconfigs and config files. The
/// argument lists are what a controller's components are started with.
/// </summary>
public sealed class ControlPlaneFiles : IDisposable
{
    public ControlPlaneFiles(TestCertificateAuthority etcdCa, IReadOnlyList<Uri> etcdServers)
    {
        EtcdServers = etcdServers;
        Address = FreePort.LoopbackAddresses(1)[0];
        Port = FreePort.On(Address);
        Write("ca.crt", ClusterCa.CertificatePem);
        Write("front-proxy-ca.crt", FrontProxyCa.CertificatePem);
        WriteServing("apiserver", ClusterCa, "kube-apiserver", Address);
        ClientCertificateFiles.Write(etcdCa, "kube-apiserver-etcd-client", Path("apiserver-etcd-client.crt"), Path("apiserver-etcd-client.key"), Path("etcd-ca.crt"));
        ClientCertificateFiles.Write(ClusterCa, "kube-apiserver-kubelet-client", Path("apiserver-kubelet-client.crt"), Path("apiserver-kubelet-client.key"), Path("ca.crt"));
        ClientCertificateFiles.Write(FrontProxyCa, "front-proxy-client", Path("front-proxy-client.crt"), Path("front-proxy-client.key"), Path("front-proxy-ca.crt"));
        using (var serviceAccount = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            Write("sa.key", serviceAccount.ExportPkcs8PrivateKeyPem());
            Write("sa.pub", serviceAccount.ExportSubjectPublicKeyInfoPem());
        }

        WriteKubeconfig("controller-manager", "system:kube-controller-manager", ClusterCa, "ca.crt");
        WriteKubeconfig("scheduler", "system:kube-scheduler", ClusterCa, "ca.crt");
        WriteKubeconfig("admin", "admin", ClusterCa, "ca.crt");
        Write("kube-scheduler.yaml", $"""
            apiVersion: kubescheduler.config.k8s.io/v1
            kind: KubeSchedulerConfiguration
            clientConnection:
              kubeconfig: {Path("scheduler.kubeconfig")}
            leaderElection:
              leaderElect: true
            """);
        WriteEncryptionConfig(RandomNumberGenerator.GetBytes(32));
        Write("audit-policy.yaml", """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: [RequestReceived]
            rules:
              - level: Metadata
            """);
    }

    public TempRoot Root { get; } = new("kubes-standins-");

    public TestCertificateAuthority ClusterCa { get; } = new("kubernetes CA");

    public TestCertificateAuthority FrontProxyCa { get; } = new("front-proxy CA");

    public IReadOnlyList<Uri> EtcdServers { get; }

    public IPAddress Address { get; }

    public int Port { get; }

    public Uri Server => new($"https://{Address}:{Port}");

    public string Path(string file) => Root.Join("pki", file);

    public void Write(string file, string text)
    {
        Directory.CreateDirectory(Root.Join("pki"));
        File.WriteAllText(Path(file), text);
    }

    /// <summary>encryption-config.yaml: Secrets encrypted with aescbc under this key, then read as plain text.</summary>
    public void WriteEncryptionConfig(byte[] key) => Write("encryption-config.yaml", $$"""
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: [secrets]
            providers:
              - aescbc:
                  keys:
                    - name: key1
                      secret: {{Convert.ToBase64String(key)}}
              - identity: {}
        """);

    /// <summary>A serving certificate and key for the address, from the CA.</summary>
    public void WriteServing(string stem, TestCertificateAuthority ca, string commonName, IPAddress address)
    {
        using var serving = ca.IssueServer(commonName, address);
        Write($"{stem}.crt", serving.ExportCertificatePem());
        Write($"{stem}.key", serving.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>A kubeconfig for the API server with a client certificate from <paramref name="ca"/>, trusting <paramref name="caFile"/>.</summary>
    public void WriteKubeconfig(string stem, string user, TestCertificateAuthority ca, string caFile)
    {
        ClientCertificateFiles.Write(ca, user, Path($"{stem}.crt"), Path($"{stem}.key"), Path($"{stem}-issuer.crt"));
        Write($"{stem}.kubeconfig", $"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: kubes
                cluster:
                  server: {Server}
                  certificate-authority: {caFile}
            users:
              - name: {user}
                user:
                  client-certificate: {stem}.crt
                  client-key: {stem}.key
            contexts:
              - name: default
                context:
                  cluster: kubes
                  user: {user}
            current-context: default
            """);
    }

    public List<string> ApiServerArgs() =>
    [
        $"--advertise-address={Address}", $"--bind-address={Address}", $"--secure-port={Port}",
        $"--etcd-servers={string.Join(',', EtcdServers.Select(s => s.ToString().TrimEnd('/')))}",
        $"--etcd-cafile={Path("etcd-ca.crt")}", $"--etcd-certfile={Path("apiserver-etcd-client.crt")}",
        $"--etcd-keyfile={Path("apiserver-etcd-client.key")}", "--etcd-prefix=/registry",
        $"--tls-cert-file={Path("apiserver.crt")}", $"--tls-private-key-file={Path("apiserver.key")}",
        "--tls-min-version=VersionTLS12",
        "--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305",
        $"--client-ca-file={Path("ca.crt")}",
        $"--kubelet-client-certificate={Path("apiserver-kubelet-client.crt")}", $"--kubelet-client-key={Path("apiserver-kubelet-client.key")}",
        $"--kubelet-certificate-authority={Path("ca.crt")}",
        $"--proxy-client-cert-file={Path("front-proxy-client.crt")}", $"--proxy-client-key-file={Path("front-proxy-client.key")}",
        $"--requestheader-client-ca-file={Path("front-proxy-ca.crt")}", "--requestheader-allowed-names=front-proxy-client",
        "--requestheader-username-headers=X-Remote-User", "--requestheader-group-headers=X-Remote-Group",
        $"--service-account-issuer=https://{Address}:{Port}", $"--service-account-key-file={Path("sa.pub")}",
        $"--service-account-signing-key-file={Path("sa.key")}", "--service-cluster-ip-range=10.32.0.0/24",
        "--authorization-mode=Node,RBAC", "--enable-admission-plugins=NodeRestriction", "--allow-privileged=true",
        $"--encryption-provider-config={Path("encryption-config.yaml")}", $"--audit-policy-file={Path("audit-policy.yaml")}",
        $"--audit-log-path={Root.Join("log", "audit.log")}", "--audit-log-maxage=30", "--audit-log-maxbackup=10",
        "--profiling=false", "--v=2",
    ];

    public List<string> ControllerManagerArgs(int port) =>
    [
        $"--kubeconfig={Path("controller-manager.kubeconfig")}", $"--authentication-kubeconfig={Path("controller-manager.kubeconfig")}",
        $"--authorization-kubeconfig={Path("controller-manager.kubeconfig")}", $"--bind-address={Address}", $"--secure-port={port}",
        $"--client-ca-file={Path("ca.crt")}", $"--root-ca-file={Path("ca.crt")}", $"--requestheader-client-ca-file={Path("front-proxy-ca.crt")}",
        $"--service-account-private-key-file={Path("sa.key")}", "--use-service-account-credentials=true", "--leader-elect=true",
        "--cluster-name=kubes", "--profiling=false",
    ];

    public List<string> SchedulerArgs(int port) =>
    [
        $"--config={Path("kube-scheduler.yaml")}", $"--authentication-kubeconfig={Path("scheduler.kubeconfig")}",
        $"--authorization-kubeconfig={Path("scheduler.kubeconfig")}", $"--bind-address={Address}", $"--secure-port={port}",
        "--profiling=false",
    ];

    public void Dispose()
    {
        ClusterCa.Dispose();
        FrontProxyCa.Dispose();
        Root.Dispose();
    }
}
