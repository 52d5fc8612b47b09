using System.Net;
using Kubes.StandIns.Clients;
using Kubes.StandIns.Configs;
using Kubes.StandIns.Files;
using Kubes.StandIns.Flags;
using Microsoft.AspNetCore.Http;
using YamlDotNet.RepresentationModel;

namespace Kubes.StandIns.Nodes;

/// <summary>
/// The kubelet stand-in: checks its flags and files, its KubeletConfiguration strictly and the files it names; asks
/// the container runtime of containerRuntimeEndpoint for CRI Version and Status (<see cref="RuntimeServiceCheck"/>);
/// connects to the API server of --kubeconfig, registers its Node there and keeps its status (<see cref="NodeStatusSync"/>);
/// serves HTTPS on address:port (10250) with its serving certificate, requiring a client certificate from
/// authentication.x509.clientCAFile when anonymous access is off; and answers /healthz on healthzBindAddress:healthzPort
/// (127.0.0.1:10248, plain HTTP) once the runtime and the API server answered.
/// </summary>
public static class KubeletStandIn
{
    public const string Name = "kubelet";

    public static readonly FileFlagRules Files = new()
    {
        Pairs = [new("tls-cert-file", "tls-private-key-file", Pem.ServerAuth)],
        CaBundles = ["client-ca-file"],
        Kubeconfigs = ["kubeconfig", "bootstrap-kubeconfig"],
        Configs = new Dictionary<string, string> { ["config"] = "KubeletConfiguration" },
        Inputs = ["resolv-conf"],
        Directories = ["cert-dir", "root-dir", "pod-manifest-path", "volume-plugin-dir", "image-credential-provider-bin-dir"],
        Outputs = ["lock-file"],
        Refused = ["config-dir", "image-credential-provider-config", "experimental-mounter-path"],
    };

    public static async Task RunAsync(CommandLine line, CancellationToken cancellationToken)
    {
        var files = CheckedFiles.Open(line, Files);
        var config = files.Config("config");
        var folder = line.Value("config") is { } configFile ? Path.GetDirectoryName(Path.GetFullPath(configFile))! : Environment.CurrentDirectory;
        // As the kubelet resolves them: a relative path against the configuration file's folder, an absolute one as it is.
        string? FileAt(string path) => StrictConfig.At(config, path) is { Length: > 0 } file ? Path.Combine(folder, file) : null;

        var kubeconfig = files.Kubeconfig("kubeconfig")
            ?? throw new StandInException("--kubeconfig is not given: the Kubes stand-in of the kubelet needs the API server it names");
        var serving = ServingCertificate(files, FileAt("tlsCertFile"), FileAt("tlsPrivateKeyFile"));
        var clientCa = FileAt("authentication.x509.clientCAFile") is { } caFile
            ? Pem.CaBundle($"--config authentication.x509.clientCAFile {caFile}", Pem.ReadFile("--config authentication.x509.clientCAFile", caFile))
            : files.CaBundle("client-ca-file");
        // KubeletConfiguration defaults anonymous access to off; the flag alone defaults it to on.
        var anonymous = config is null ? line.IsTrue("anonymous-auth", byDefault: true) : StrictConfig.At(config, "authentication.anonymous.enabled") == "true";
        if (FileAt("resolvConf") is { } resolvConf) Pem.ReadFile("--config resolvConf", resolvConf);
        if (FileAt("staticPodPath") is { } staticPods) CheckedFiles.MakeFolder("config staticPodPath", staticPods);
        var runtime = new RuntimeServiceCheck(StrictConfig.At(config, "containerRuntimeEndpoint")
            ?? line.Value("container-runtime-endpoint") ?? "unix:///run/containerd/containerd.sock");

        var address = StrictConfig.At(config, "address") ?? "0.0.0.0";
        var port = int.Parse(StrictConfig.At(config, "port") ?? "10250");
        var healthz = new IPEndPoint(IPAddress.Parse(StrictConfig.At(config, "healthzBindAddress") ?? "127.0.0.1"),
            int.Parse(StrictConfig.At(config, "healthzPort") ?? "10248"));
        var tls = TlsSettingsOf(config, line);
        var registration = NodeRegistration.From(line, config);
        var registers = StrictConfig.At(config, "registerNode") is { } registerNode ? registerNode == "true" : line.IsTrue("register-node", byDefault: true);
        var updateFrequency = GoDuration.Parse("nodeStatusUpdateFrequency", StrictConfig.At(config, "nodeStatusUpdateFrequency") ?? "10s");
        if (updateFrequency <= TimeSpan.Zero)
            throw new StandInException($"invalid configuration: nodeStatusUpdateFrequency (--node-status-update-frequency) {updateFrequency} must be greater than zero");

        using var connection = new ApiServerConnection(kubeconfig);
        var serverCertificate = serving?.Certificate ?? SelfSignedCertificate.For(Name, IPAddress.Parse(address));
        await using var server = await SecureServer.StartAsync(address, port, serverCertificate, serving?.Chain ?? [serverCertificate], tls,
            context => AnswerAsync(context, clientCa, anonymous), cancellationToken);
        Task Health(HttpContext context) => HealthAnswer.WriteAsync(context, new Dictionary<string, string?>
        {
            ["container-runtime"] = runtime.Problem,
            ["apiserver-connection"] = connection.Connected ? null : connection.LastProblem,
        });
        await using var health = await SecureServer.StartHttpAsync("healthzBindAddress, healthzPort", healthz, Health, cancellationToken);
        Log.Info($"serving on https://{address}:{port}, /healthz on http://{healthz}");
        var nodeStatus = registers
            ? new NodeStatusSync(registration, port, updateFrequency, runtime, connection, TimeProvider.System).KeepSyncingAsync(cancellationToken)
            : Task.CompletedTask;
        if (!registers) Log.Info($"registerNode is false: node {registration.Name} is not registered");
        await Task.WhenAll(runtime.KeepCheckingAsync(cancellationToken), connection.KeepConnectedAsync(cancellationToken), nodeStatus);
    }

    private static (System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate, IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> Chain)?
        ServingCertificate(CheckedFiles files, string? certificateFile, string? keyFile)
    {
        if (certificateFile is null != keyFile is null)
            throw new StandInException("--config: tlsCertFile and tlsPrivateKeyFile are given one without the other; give both or neither");
        if (certificateFile is null || keyFile is null)
            return files.Certificate("tls-cert-file") is { } flagged ? (flagged, files.Chain("tls-cert-file")!) : null;
        var where = $"--config tlsCertFile {certificateFile}";
        var pem = Pem.ReadFile("--config tlsCertFile", certificateFile);
        return (Pem.CertificateWithKey(where, pem, $"--config tlsPrivateKeyFile {keyFile}", Pem.ReadFile("--config tlsPrivateKeyFile", keyFile), Pem.ServerAuth),
            Pem.Certificates(where, pem));
    }

    /// <summary>The config file's tlsMinVersion and tlsCipherSuites, as the flags of the same name would give them.</summary>
    private static TlsSettings TlsSettingsOf(YamlMappingNode? config, CommandLine line)
    {
        var suites = config is not null && config.Children.TryGetValue(new YamlScalarNode("tlsCipherSuites"), out var node) && node is YamlSequenceNode list
            ? string.Join(',', list.Children.OfType<YamlScalarNode>().Select(s => s.Value))
            : null;
        var flags = new List<string>();
        if ((StrictConfig.At(config, "tlsMinVersion") ?? line.Value("tls-min-version")) is { } version) flags.Add($"--tls-min-version={version}");
        if ((suites ?? line.Value("tls-cipher-suites")) is { } names) flags.Add($"--tls-cipher-suites={names}");
        return TlsSettings.From(CommandLine.Parse(line.Table, flags));
    }

    /// <summary>Client certificates must chain to the client CA; without one, only when anonymous access is on.</summary>
    private static async Task AnswerAsync(HttpContext context, System.Security.Cryptography.X509Certificates.X509Certificate2Collection? clientCa, bool anonymous)
    {
        var certificate = await context.Connection.GetClientCertificateAsync();
        var problem = certificate is null
            ? anonymous ? null : "no client certificate"
            : clientCa is null ? "no client CA is configured" : Pem.ChainProblem(certificate, [], clientCa);
        if (problem is not null)
        {
            Log.Info($"refused {context.Request.Method} {context.Request.Path} from {certificate?.Subject ?? "an anonymous client"}: {problem}");
            await SecureServer.WriteStatusAsync(context, 401, "Unauthorized", "Unauthorized");
            return;
        }

        if (context.Request.Path.Value == "/healthz") await context.Response.WriteAsync("ok");
        else await SecureServer.WriteStatusAsync(context, 404, "NotFound", "the server could not find the requested resource");
    }
}
