using Amazon.EC2;
using Amazon.EC2.Model;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Aws.Handlers;

/// <summary>Tags at creation (so an interrupted run leaves nothing untagged) and the cluster filter for describes.</summary>
internal static class Ec2Tagging
{
    public static List<TagSpecification> At(ResourceType type, IReadOnlyDictionary<string, string> tags) =>
        [new TagSpecification { ResourceType = type, Tags = [.. tags.Select(t => new Tag(t.Key, t.Value))] }];

    public static List<Filter> ClusterFilter(string cluster) =>
        [new Filter { Name = $"tag:{ClusterTags.Cluster}", Values = [cluster] }];

    /// <summary>The cluster filter narrowed to one resource key: how a create finds what an interrupted attempt made.</summary>
    public static List<Filter> KeyFilter(string cluster, ResourceKey key) =>
    [
        new Filter { Name = $"tag:{ClusterTags.Cluster}", Values = [cluster] },
        new Filter { Name = $"tag:{ClusterTags.Resource}", Values = [key.ToString()] },
    ];

    /// <summary>The key filter checked on our side too: not every EC2 describe honours every tag filter (moto's NAT
    /// gateways do not), and another cluster's resources carry the same keys.</summary>
    public static bool HasKey(List<Tag>? tags, string cluster, ResourceKey key) =>
        Value(tags, ClusterTags.Cluster) == cluster && TryKey(tags, out var found) && found == key;

    public static bool TryKey(List<Tag>? tags, out ResourceKey key)
    {
        var value = tags?.FirstOrDefault(t => t.Key == ClusterTags.Resource)?.Value;
        return ResourceKey.TryParse(value, out key);
    }

    public static string? Value(List<Tag>? tags, string key) => tags?.FirstOrDefault(t => t.Key == key)?.Value;
}
