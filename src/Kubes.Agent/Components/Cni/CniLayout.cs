using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.Cni;

/// <summary>
/// Where a node's CNI plugins and network configuration live (under the agent's root, as containerd is told), the
/// plugins archive, and which add-on writes the configuration.
/// </summary>
public sealed class CniLayout
{
    public CniLayout(RoleConfig config, AgentPaths paths)
    {
        Cni = config.Cni ?? throw Invalid(config, "has no cni section");
        if (string.IsNullOrEmpty(Cni.Plugin)) throw Invalid(config, "names no CNI plugin");
        Artifact = RequiredArtifact.Of(config, ArtifactNames.CniPlugins, ComponentNames.Cni);
        BinDir = paths.Under("/opt/cni/bin");
        ConfDir = paths.Under("/etc/cni/net.d");
    }

    public CniConfig Cni { get; }
    public Artifact Artifact { get; }
    public string BinDir { get; }
    public string ConfDir { get; }

    /// <summary>The reference plugins a node's pod network uses beside the add-on's own (which its daemon set installs).</summary>
    public static IReadOnlyList<string> Plugins { get; } = ["bridge", "host-local", "loopback", "portmap"];

    private static InvalidRoleConfigException Invalid(RoleConfig config, string problem) =>
        new($"the CNI role configuration for {config.Name} {problem}; the coordinator's RoleConfig must be fixed");
}
