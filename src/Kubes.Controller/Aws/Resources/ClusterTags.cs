using Kubes.Controller.Reconciler;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Aws.Resources;

/// <summary>The tags that make every cluster resource findable without a state file.</summary>
public static class ClusterTags
{
    public const string Cluster = "kubes.io/cluster";
    public const string Resource = "kubes.io/resource";
    public const string Role = "kubes.io/role";
    public const string Slot = "kubes.io/slot";
    public const string Name = "Name";

    /// <summary>The ownership tag the Kubernetes AWS cloud provider and the EBS CSI driver look for.</summary>
    public static string KubernetesOwnership(string cluster) => $"kubernetes.io/cluster/{cluster}";

    public static IReadOnlyDictionary<string, string> For(string cluster, ResourceKey key, InstanceSlot? slot = null)
    {
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [Cluster] = cluster,
            [Resource] = key.ToString(),
            [Name] = $"{cluster}-{key.Name}",
        };
        if (slot is not null)
        {
            tags[Role] = slot.Role.TagValue();
            tags[Slot] = slot.Name;
            tags[Name] = $"{cluster}-{slot.Name}";
        }
        return tags;
    }
}
