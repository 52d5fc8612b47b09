using Kubes.StandIns.Flags;

namespace Kubes.StandIns.Nodes;

/// <summary>
/// A kubelet's labels for its Node: the well-known ones it sets itself (kubernetes.io/hostname, kubernetes.io/os,
/// kubernetes.io/arch), then --node-labels over them. As the kubelet refuses to start with a --node-labels label in the
/// kubernetes.io or k8s.io namespaces that is not its own to set (NodeRestriction would refuse it), so does the stand-in.
/// </summary>
public static class NodeLabels
{
    private static readonly string[] AllowedNamespaces = ["kubelet.kubernetes.io", "node.kubernetes.io"];

    private static readonly string[] AllowedLabels =
    [
        "beta.kubernetes.io/arch", "beta.kubernetes.io/instance-type", "beta.kubernetes.io/os", "failure-domain.beta.kubernetes.io/region",
        "failure-domain.beta.kubernetes.io/zone", "kubernetes.io/arch", "kubernetes.io/hostname", "kubernetes.io/os",
        "node.kubernetes.io/instance-type", "topology.kubernetes.io/region", "topology.kubernetes.io/zone",
    ];

    /// <summary>The labels a kubelet sets again on a Node it finds registered (its updateDefaultLabels), or removes when it would not set them.</summary>
    public static IReadOnlyList<string> Reconciled { get; } =
    [
        "kubernetes.io/hostname", "topology.kubernetes.io/zone", "topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/zone",
        "failure-domain.beta.kubernetes.io/region", "node.kubernetes.io/instance-type", "beta.kubernetes.io/instance-type", "kubernetes.io/os",
        "kubernetes.io/arch", "node.kubernetes.io/windows-build", "beta.kubernetes.io/os", "beta.kubernetes.io/arch",
    ];

    public static SortedDictionary<string, string> For(string hostname, CommandLine line)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["kubernetes.io/hostname"] = hostname, ["kubernetes.io/os"] = "linux", ["kubernetes.io/arch"] = NodeSystemInfo.Architecture,
        };
        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var pair in line.Items("node-labels"))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0) throw new StandInException($"invalid argument \"{pair}\" for \"--node-labels\" flag: malformed pair, expect string=string");
            var key = pair[..equals];
            if (IsKubernetesLabel(key) && !IsKubeletLabel(key)) unknown.Add(key);
            labels[key] = pair[(equals + 1)..];
        }

        if (unknown.Count > 0)
            throw new StandInException(
                $"failed to validate kubelet flags: unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels: [{string.Join(' ', unknown)}]\n" +
                $"--node-labels in the 'kubernetes.io' namespace must begin with an allowed prefix ({string.Join(", ", AllowedNamespaces)}) " +
                $"or be in the specifically allowed set ({string.Join(", ", AllowedLabels)})");
        return labels;
    }

    private static string Namespace(string key) => key.Contains('/') ? key[..key.IndexOf('/')] : "";

    private static bool IsKubernetesLabel(string key) =>
        Namespace(key) is var ns && (ns is "kubernetes.io" or "k8s.io" || ns.EndsWith(".kubernetes.io", StringComparison.Ordinal) || ns.EndsWith(".k8s.io", StringComparison.Ordinal));

    private static bool IsKubeletLabel(string key) =>
        AllowedLabels.Contains(key) ||
        AllowedNamespaces.Any(allowed => Namespace(key) == allowed || Namespace(key).EndsWith("." + allowed, StringComparison.Ordinal));
}
