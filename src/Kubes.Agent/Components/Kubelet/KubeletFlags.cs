using Kubes.Agent.Flags;

namespace Kubes.Agent.Components.Kubelet;

/// <summary>
/// The kubelet's command line: only what its configuration file cannot hold (the file, the kubeconfig, the node's
/// name, address and labels, its root folder); everything else is in <see cref="KubeletConfiguration"/>.
/// </summary>
public sealed record KubeletFlags
{
    public required string Config { get; init; }
    public required string Kubeconfig { get; init; }
    /// <summary>The Node's name. Set because it is not the host name: an Auto Scaling node is named by its instance id,
    /// a fixed slot by its slot, and a local instance shares this machine's host name.</summary>
    public required string HostnameOverride { get; init; }
    public required string NodeIp { get; init; }
    public required IReadOnlyDictionary<string, string> NodeLabels { get; init; }
    public required string RootDir { get; init; }

    public static KubeletFlags For(KubeletLayout layout) => new()
    {
        Config = layout.ConfigFile,
        Kubeconfig = layout.KubeconfigFile,
        HostnameOverride = layout.NodeName,
        NodeIp = layout.Address.ToString(),
        NodeLabels = layout.Kubelet.NodeLabels.ToDictionary(l => l.Name, l => l.Value),
        RootDir = layout.RootDir,
    };

    public FlagSet ToFlagSet() => new FlagSet()
        .Add("config", Config)
        .Add("kubeconfig", Kubeconfig)
        .Add("hostname-override", HostnameOverride)
        .Add("node-ip", NodeIp)
        .Add("node-labels", NodeLabels)
        .Add("root-dir", RootDir);
}
