using Kubes.Agent.Flags;

namespace Kubes.Agent.Components.Etcd;

/// <summary>
/// etcd's command line as data, every flag Kubes sets for a member in one place: TLS with client certificates on both
/// the client and the peer port, trusting only the etcd CA, with the member's one certificate for serving, peering and
/// (for the health check) as a client.
/// </summary>
public sealed record EtcdFlags
{
    public required string Name { get; init; }
    public required string DataDir { get; init; }
    public required IReadOnlyList<string> ListenClientUrls { get; init; }
    public required string AdvertiseClientUrl { get; init; }
    public required string PeerUrl { get; init; }
    /// <summary><c>name=peer-url</c> of every member, ordered by slot.</summary>
    public required IReadOnlyList<string> InitialCluster { get; init; }
    public required string InitialClusterToken { get; init; }
    public required string TrustedCaFile { get; init; }
    public required string CertFile { get; init; }
    public required string KeyFile { get; init; }

    /// <summary>
    /// A member of the configured cluster: bound to the slot's private address, and on a real host to loopback too for
    /// local clients (the local provider's instances share this machine's loopback, so they do not claim it).
    /// </summary>
    public static EtcdFlags For(EtcdLayout layout)
    {
        var config = layout.Config;
        return new EtcdFlags
        {
            Name = config.Name,
            DataDir = layout.DataDir,
            ListenClientUrls = layout.IsHostRoot ? [layout.ClientUrl, $"https://127.0.0.1:{layout.ClientPort}"] : [layout.ClientUrl],
            AdvertiseClientUrl = layout.ClientUrl,
            PeerUrl = layout.PeerUrl,
            InitialCluster = layout.Etcd.Members
                .OrderBy(m => m.Slot)
                .Select(m => $"{m.Name}=https://{m.PrivateIp}:{layout.PeerPort}")
                .ToList(),
            InitialClusterToken = string.IsNullOrEmpty(layout.Etcd.InitialClusterToken)
                ? $"kubes-{config.Cluster}"
                : layout.Etcd.InitialClusterToken,
            TrustedCaFile = layout.CaFile,
            CertFile = layout.CertificateFile,
            KeyFile = layout.KeyFile,
        };
    }

    public FlagSet ToFlagSet() => new FlagSet()
        .Add("name", Name)
        .Add("data-dir", DataDir)
        .Add("listen-client-urls", ListenClientUrls)
        .Add("advertise-client-urls", [AdvertiseClientUrl])
        .Add("listen-peer-urls", [PeerUrl])
        .Add("initial-advertise-peer-urls", [PeerUrl])
        .Add("initial-cluster", InitialCluster)
        .Add("initial-cluster-token", InitialClusterToken)
        .Add("initial-cluster-state", "new")
        .Add("client-cert-auth", true)
        .Add("trusted-ca-file", TrustedCaFile)
        .Add("cert-file", CertFile)
        .Add("key-file", KeyFile)
        .Add("peer-client-cert-auth", true)
        .Add("peer-trusted-ca-file", TrustedCaFile)
        .Add("peer-cert-file", CertFile)
        .Add("peer-key-file", KeyFile);
}
