using Kubes.Agent.Services;

namespace Kubes.Agent.Installers.Etcd;

/// <summary>
/// etcd's unit: TLS with client certificates on both the client and the peer port, trusting only the
/// etcd CA, bound to the slot's private address (and loopback for local clients on a real host).
/// </summary>
public static class EtcdUnit
{
    public static SystemdUnit Build(EtcdLayout layout)
    {
        var config = layout.Config;
        var listenClient = layout.IsHostRoot
            ? $"{layout.ClientUrl},https://127.0.0.1:{layout.ClientPort}"
            : layout.ClientUrl;
        var peerUrl = $"https://{config.PrivateIp}:{layout.PeerPort}";
        var initialCluster = string.Join(',', layout.Etcd.Members
            .OrderBy(m => m.Slot)
            .Select(m => $"{m.Name}=https://{m.PrivateIp}:{layout.PeerPort}"));
        var token = string.IsNullOrEmpty(layout.Etcd.InitialClusterToken) ? $"kubes-{config.Cluster}" : layout.Etcd.InitialClusterToken;

        return new SystemdUnit
        {
            Name = "etcd",
            Description = $"etcd member {config.Name} of cluster {config.Cluster} (kubes)",
            Type = "notify",
            Restart = "always",
            RestartSec = TimeSpan.FromSeconds(5),
            LimitNoFile = 40000,
            ExecStart =
            [
                Path.Join(layout.BinDir, "etcd"),
                $"--name={config.Name}",
                $"--data-dir={layout.DataDir}",
                $"--listen-client-urls={listenClient}",
                $"--advertise-client-urls={layout.ClientUrl}",
                $"--listen-peer-urls={peerUrl}",
                $"--initial-advertise-peer-urls={peerUrl}",
                $"--initial-cluster={initialCluster}",
                $"--initial-cluster-token={token}",
                "--initial-cluster-state=new",
                "--client-cert-auth",
                $"--trusted-ca-file={layout.CaFile}",
                $"--cert-file={layout.CertificateFile}",
                $"--key-file={layout.KeyFile}",
                "--peer-client-cert-auth",
                $"--peer-trusted-ca-file={layout.CaFile}",
                $"--peer-cert-file={layout.CertificateFile}",
                $"--peer-key-file={layout.KeyFile}",
            ],
        };
    }
}
