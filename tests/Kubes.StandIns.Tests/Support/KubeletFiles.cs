using Kubes.Agent.Tests.Support;

namespace Kubes.StandIns.Tests.Support;

/// <summary>
/// A kubelet's files and command line in a test folder, laid out as the Kubes agent gives them (KubeletFlags,
/// KubeletConfigFile): a serving certificate and a kubeconfig of system:node:NAME from the cluster CA, a
/// KubeletConfiguration naming the runtime's socket, and --hostname-override, --node-ip and --root-dir.
/// </summary>
public sealed class KubeletFiles(ControlPlaneFiles files, string nodeName)
{
    public string NodeName => nodeName;

    public int Port { get; } = FreePort.On(files.Address);

    public int HealthzPort { get; } = FreePort.On(files.Address);

    /// <summary>The kubelet's command line; <paramref name="moreConfig"/> are KubeletConfiguration lines added at the top level.</summary>
    public List<string> Args(string runtimeEndpoint, IEnumerable<string>? moreConfig = null, IEnumerable<string>? moreFlags = null)
    {
        files.WriteServing("kubelet-serving", files.ClusterCa, nodeName, files.Address);
        files.WriteKubeconfig("kubelet", $"system:node:{nodeName.ToLowerInvariant()}", files.ClusterCa, "ca.crt");
        files.Write("kubelet-config.yaml", string.Join('\n', [
            "apiVersion: kubelet.config.k8s.io/v1beta1",
            "kind: KubeletConfiguration",
            $"address: \"{files.Address}\"",
            $"port: {Port}",
            "readOnlyPort: 0",
            $"healthzBindAddress: \"{files.Address}\"",
            $"healthzPort: {HealthzPort}",
            "# an absolute path, as Kubes writes them; the key relative to this file's folder",
            $"tlsCertFile: \"{files.Path("kubelet-serving.crt")}\"",
            "tlsPrivateKeyFile: kubelet-serving.key",
            "authentication:",
            "  x509:",
            "    clientCAFile: ca.crt",
            "  webhook:",
            "    enabled: true",
            "  anonymous:",
            "    enabled: false",
            "authorization:",
            "  mode: Webhook",
            $"containerRuntimeEndpoint: \"{runtimeEndpoint}\"",
            "cgroupDriver: systemd",
            "registerNode: true",
            .. moreConfig ?? [],
        ]));
        return
        [
            $"--config={files.Path("kubelet-config.yaml")}", $"--kubeconfig={files.Path("kubelet.kubeconfig")}", $"--hostname-override={nodeName}",
            $"--node-ip={files.Address}", $"--root-dir={files.Root.Join("var", "lib", "kubelet")}", .. moreFlags ?? [],
        ];
    }
}
