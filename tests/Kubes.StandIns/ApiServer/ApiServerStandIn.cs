using System.Net;
using Kubes.StandIns.Files;
using Kubes.StandIns.Flags;

namespace Kubes.StandIns.ApiServer;

/// <summary>
/// The kube-apiserver stand-in: checks its command line and every file it names, proves its etcd settings against
/// every member (<see cref="EtcdStorage"/>), and serves HTTPS on --bind-address:--secure-port with its serving
/// certificate, authenticating clients by --client-ca-file (<see cref="ApiServerRequests"/>). API objects written to it
/// are kept in that etcd (<see cref="ObjectStore"/>), so every apiserver stand-in on it sees them.
/// </summary>
public static class ApiServerStandIn
{
    public const string Name = "kube-apiserver";

    public static readonly FileFlagRules Files = new()
    {
        Pairs =
        [
            new("tls-cert-file", "tls-private-key-file", Pem.ServerAuth),
            new("etcd-certfile", "etcd-keyfile", Pem.ClientAuth),
            new("kubelet-client-certificate", "kubelet-client-key", Pem.ClientAuth),
            new("proxy-client-cert-file", "proxy-client-key-file", Pem.ClientAuth),
        ],
        CaBundles = ["client-ca-file", "etcd-cafile", "kubelet-certificate-authority", "requestheader-client-ca-file", "oidc-ca-file", "peer-ca-file"],
        Kubeconfigs = ["audit-webhook-config-file", "authentication-token-webhook-config-file", "authorization-webhook-config-file"],
        Configs = new Dictionary<string, string>
        {
            ["admission-control-config-file"] = "AdmissionConfiguration",
            ["audit-policy-file"] = "Policy",
            ["authentication-config"] = "AuthenticationConfiguration",
            ["authorization-config"] = "AuthorizationConfiguration",
            ["encryption-provider-config"] = "EncryptionConfiguration",
        },
        PrivateKeys = ["service-account-signing-key-file"],
        PublicKeys = ["service-account-key-file"],
        Directories = ["cert-dir"],
        Outputs = ["audit-log-path", "debug-socket-path"],
        Refused =
        [
            "allow-metric-labels-manifest", "authorization-policy-file", "egress-selector-config-file", "service-account-signing-endpoint",
            "tls-sni-cert-key", "token-auth-file", "tracing-config-file",
        ],
    };

    public static async Task RunAsync(CommandLine line, KubernetesRelease release, CancellationToken cancellationToken)
    {
        var files = CheckedFiles.Open(line, Files);
        CheckRequired(line);
        CheckAcrossFiles(line, files);
        var anonymous = AnonymousAccess.From(line, files);
        var tls = TlsSettings.From(line);
        var etcdServers = line.Items("etcd-servers").Select(server => Uri.TryCreate(server, UriKind.Absolute, out var url)
            ? url
            : throw new StandInException($"--etcd-servers: '{server}' is not a URL")).ToList();

        var bindAddress = line.Value("bind-address") ?? "0.0.0.0";
        var port = line.Int("secure-port", 6443);
        if (port is <= 0 or > 65535) throw new StandInException($"--secure-port {port}: kube-apiserver needs a port from 1 to 65535");
        var serving = files.Certificate("tls-cert-file") ?? SelfSignedCertificate.For(Name, IPAddress.Parse(bindAddress));
        var chain = files.Chain("tls-cert-file") ?? [serving];

        var etcdPrefix = line.Value("etcd-prefix") ?? "/registry";
        using var gateway = new EtcdGateway(etcdServers, files.Certificate("etcd-certfile"), files.CaBundle("etcd-cafile"));
        var etcd = new EtcdStorage(gateway, etcdPrefix, $"{bindAddress}:{port}");
        var objects = new ObjectRequests(new ObjectStore(gateway, etcdPrefix, TimeProvider.System));
        var requests = new ApiServerRequests(release, etcd, objects, files.CaBundle("client-ca-file"), anonymous,
            $"{line.Value("advertise-address") ?? bindAddress}:{port}");
        await using var server = await SecureServer.StartAsync(bindAddress, port, serving, chain, tls, requests.HandleAsync, cancellationToken);
        Log.Info($"serving on https://{bindAddress}:{port}; etcd: {string.Join(", ", etcdServers)}");
        while (!cancellationToken.IsCancellationRequested)
        {
            await etcd.CheckAsync(cancellationToken);
            try
            {
                await Task.Delay(etcd.Ready ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private static void CheckRequired(CommandLine line)
    {
        if (line.Items("etcd-servers").Count == 0) throw new StandInException("--etcd-servers must be specified");
        if (!line.Has("service-account-issuer") || !line.Has("service-account-signing-key-file"))
            throw new StandInException("--service-account-signing-key-file and --service-account-issuer are required flags");
    }

    /// <summary>What holds between files: keys that must pair up, certificates their CA must have signed.</summary>
    private static void CheckAcrossFiles(CommandLine line, CheckedFiles files)
    {
        var signing = files.PublicKeyOfPrivateKey("service-account-signing-key-file")!;
        var verifying = files.PublicKeys("service-account-key-file");
        if (line.Has("service-account-key-file") && !verifying.Any(key => key.AsSpan().SequenceEqual(signing)))
            throw new StandInException(
                $"--service-account-signing-key-file {line.Value("service-account-signing-key-file")}: its public key is not among the " +
                $"--service-account-key-file keys ({string.Join(", ", line.Items("service-account-key-file"))}); tokens it signs would not verify");
        if (files.Chain("proxy-client-cert-file") is { } proxy && files.CaBundle("requestheader-client-ca-file") is { } requestHeaderCa)
            Pem.CheckSignedBy($"--proxy-client-cert-file {line.Value("proxy-client-cert-file")}", proxy,
                $"--requestheader-client-ca-file {line.Value("requestheader-client-ca-file")}", requestHeaderCa);
        if (files.Config("encryption-provider-config") is { } encryption)
            EncryptionKeys.Check($"--encryption-provider-config {line.Value("encryption-provider-config")}", encryption);
        foreach (var mode in line.Items("authorization-mode"))
        {
            if (mode is not ("AlwaysAllow" or "AlwaysDeny" or "ABAC" or "Webhook" or "RBAC" or "Node"))
                throw new StandInException($"--authorization-mode: authorization mode '{mode}' is not one of AlwaysAllow, AlwaysDeny, ABAC, Webhook, RBAC, Node");
        }

        if (line.Has("authorization-mode") && line.Has("authorization-config"))
            throw new StandInException("--authorization-config and --authorization-mode cannot be given together");
        if (line.Value("service-cluster-ip-range") is { } range)
        {
            foreach (var cidr in range.Split(','))
            {
                if (!IPNetwork.TryParse(cidr, out _)) throw new StandInException($"--service-cluster-ip-range: '{cidr}' is not a CIDR");
            }
        }
    }
}
