using Kubes.Controller.Spec;

namespace Kubes.Controller.Components.Etcd;

/// <summary>Which etcd a cluster runs, by the line whose flags it has.</summary>
public static class EtcdReleases
{
    /// <summary>
    /// The etcd line kubeadm pairs with each supported Kubernetes minor (kubeadm's SupportedEtcdVersion: 3.6 for 1.34 to
    /// 1.36); the artifact catalogue names the release.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ByKubernetesMinor = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["1.35"] = "3.6",
        ["1.36"] = "3.6",
    };

    /// <summary>The local provider has no internet: its members run this machine's etcd, Debian's 3.4.</summary>
    public const string HostPackageLine = "3.4";

    public static string? FlagVersionFor(ClusterSpec spec) =>
        spec.Provider == ProviderKind.Local
            ? HostPackageLine
            : KubernetesVersions.MinorOf(spec.KubernetesVersion) is { } minor ? ByKubernetesMinor.GetValueOrDefault(minor) : null;
}
