using Kubes.Protos.Contract;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Pki;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.Etcd;

/// <summary>
/// Where one etcd member's pieces live and which addresses it uses, from its RoleConfig and the agent's
/// root folder: its data volume and data folder, its program, its certificate files, its URLs. Refuses a configuration
/// that lacks what etcd needs.
/// </summary>
public sealed class EtcdLayout
{
    /// <summary>The certificate the policy issues an etcd member: server, peer and (for health checks) client.</summary>
    public const string MemberCertificateStem = CertificateFiles.EtcdMember;
    public const string ArtifactName = ArtifactNames.Etcd;
    public const int DefaultClientPort = Ports.EtcdClient;
    public const int DefaultPeerPort = Ports.EtcdPeer;

    public EtcdLayout(RoleConfig config, AgentPaths paths, PkiFiles pki)
    {
        var etcd = config.Etcd ?? throw Invalid("has no etcd section");
        if (string.IsNullOrEmpty(config.Name))
        {
            throw Invalid("has no member name");
        }

        if (!System.Net.IPAddress.TryParse(config.PrivateIp, out _))
        {
            throw Invalid($"has private_ip '{config.PrivateIp}', which is not an address");
        }

        if (etcd.Members.Count == 0 || etcd.Members.All(m => m.Name != config.Name))
        {
            throw Invalid($"lists etcd members [{string.Join(", ", etcd.Members.Select(m => m.Name))}] without this member {config.Name}");
        }

        if (config.Certificates.All(c => c.FileStem != MemberCertificateStem))
        {
            throw Invalid($"asks for no '{MemberCertificateStem}' certificate, which etcd serves and peers with");
        }

        Artifact = config.Artifacts.FirstOrDefault(a => a.Name == ArtifactName)
                   ?? throw Invalid($"has no '{ArtifactName}' artifact");

        Config = config;
        Etcd = etcd;
        IsHostRoot = paths.IsHostRoot;
        ClientPort = etcd.ClientPort > 0 ? etcd.ClientPort : DefaultClientPort;
        PeerPort = etcd.PeerPort > 0 ? etcd.PeerPort : DefaultPeerPort;
        var mount = string.IsNullOrEmpty(etcd.MountPath) ? "/data" : etcd.MountPath;
        MountPath = paths.Under(mount);
        DataDir = paths.Under(string.IsNullOrEmpty(etcd.DataDir) ? mount.TrimEnd('/') + "/etcd" : etcd.DataDir);
        Program = Path.Join(paths.BinDir, "etcd");
        CertificateFile = pki.CertificatePath(MemberCertificateStem);
        KeyFile = pki.KeyPath(MemberCertificateStem);
        CaFile = pki.CaPath(MemberCertificateStem);
    }

    public RoleConfig Config { get; }
    public EtcdConfig Etcd { get; }
    public Artifact Artifact { get; }
    public bool IsHostRoot { get; }
    public int ClientPort { get; }
    public int PeerPort { get; }
    public string MountPath { get; }
    public string DataDir { get; }
    public string Program { get; }
    public string CertificateFile { get; }
    public string KeyFile { get; }
    public string CaFile { get; }

    public string ClientUrl => $"https://{Config.PrivateIp}:{ClientPort}";

    public string PeerUrl => $"https://{Config.PrivateIp}:{PeerPort}";

    /// <summary>The programs the release archive holds that a member uses: the server, and etcdctl for operators.</summary>
    public static IReadOnlyList<string> Programs { get; } = ["etcd", "etcdctl"];

    private InvalidRoleConfigException Invalid(string problem) =>
        new($"the etcd role configuration for {Config?.Name ?? "this instance"} {problem}; the coordinator's RoleConfig must be fixed");
}
