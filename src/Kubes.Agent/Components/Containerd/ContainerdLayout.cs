using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.Containerd;

/// <summary>
/// Where a node's containerd keeps everything, under the agent's root (so each local instance has its own root, state
/// and socket), which releases it runs, and what it needs from the RoleConfig. Refuses a configuration without a
/// containerd section or without the containerd and runc artifacts.
/// </summary>
public sealed class ContainerdLayout
{
    /// <summary>A unix socket's path must fit <c>sockaddr_un</c> (108 bytes with its terminating zero).</summary>
    public const int MaxSocketPath = 107;

    /// <param name="cgroupDriver">The kubelet's and containerd's cgroup driver; by default <see cref="Components.CgroupDriver.For"/> this host.</param>
    public ContainerdLayout(RoleConfig config, AgentPaths paths, string? cgroupDriver = null)
    {
        Config = config;
        Containerd = config.Containerd ?? throw Invalid("has no containerd section");
        if (string.IsNullOrEmpty(Containerd.SandboxImage)) throw Invalid("names no sandbox image");
        Artifact = RequiredArtifact.Of(config, ArtifactNames.Containerd, ComponentNames.Containerd);
        Runc = RequiredArtifact.Of(config, ArtifactNames.Runc, ComponentNames.Containerd);
        // crictl is an operator's tool: the local provider has no package of it, and containerd works without it.
        Crictl = Find(ArtifactNames.Crictl);
        ConfigVersion = ConfigVersionFor(Artifact.Version);

        ConfigFile = paths.Under("/etc/containerd/config.toml");
        RootDir = paths.Under("/var/lib/containerd");
        StateDir = paths.Under("/run/containerd");
        OptDir = paths.Under("/opt/containerd");
        Socket = SocketOf(paths);
        CniBinDir = paths.Under("/opt/cni/bin");
        CniConfDir = paths.Under("/etc/cni/net.d");
        BinDir = paths.BinDir;
        Program = Path.Join(paths.BinDir, "containerd");
        RuncProgram = Path.Join(paths.BinDir, "runc");
        CgroupDriver = cgroupDriver ?? Components.CgroupDriver.For(paths);
        IsHostRoot = paths.IsHostRoot;
        if (TtrpcSocket.Length > MaxSocketPath)
            throw new InvalidRoleConfigException(
                $"containerd's socket {TtrpcSocket} is longer than the {MaxSocketPath} bytes a unix socket's path may have: "
                + "give the instance a shorter root folder");
    }

    public RoleConfig Config { get; }
    public ContainerdConfig Containerd { get; }
    public Artifact Artifact { get; }
    public Artifact Runc { get; }
    public Artifact? Crictl { get; }

    /// <summary>2 for containerd 1.x, 3 for 2.x (which reads version 2 too, converting it on every start).</summary>
    public int ConfigVersion { get; }

    public string ConfigFile { get; }
    public string RootDir { get; }
    public string StateDir { get; }
    public string OptDir { get; }
    public string Socket { get; }
    public string TtrpcSocket => Socket + ".ttrpc";
    public string CniBinDir { get; }
    public string CniConfDir { get; }
    public string BinDir { get; }
    public string Program { get; }
    public string RuncProgram { get; }
    public string CgroupDriver { get; }
    public bool IsHostRoot { get; }

    /// <summary>What the kubelet and crictl are given: <c>unix://</c> and the socket.</summary>
    public string Endpoint => EndpointOf(Socket);

    /// <summary>containerd's CRI socket on an instance: the kubelet is given it too.</summary>
    public static string SocketOf(AgentPaths paths) => paths.Under("/run/containerd/containerd.sock");

    public static string EndpointOf(string socket) => "unix://" + socket;

    /// <summary>The programs containerd's release archive holds that a node runs.</summary>
    public static IReadOnlyList<string> Programs { get; } = ["containerd", "containerd-shim-runc-v2", "ctr"];

    public static int ConfigVersionFor(string containerdVersion) =>
        int.TryParse(containerdVersion.TrimStart('v').Split('.')[0], out var major) && major >= 2 ? 3 : 2;

    private Artifact? Find(string name) => Config.Artifacts.FirstOrDefault(a => a.Name == name);

    private InvalidRoleConfigException Invalid(string problem) =>
        new($"the containerd role configuration for {Config.Name} {problem}; the coordinator's RoleConfig must be fixed");
}
