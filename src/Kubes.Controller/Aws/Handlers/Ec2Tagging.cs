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

    public static bool TryKey(List<Tag>? tags, out ResourceKey key)
    {
        var value = tags?.FirstOrDefault(t => t.Key == ClusterTags.Resource)?.Value;
        return ResourceKey.TryParse(value, out key);
    }

    public static string? Value(List<Tag>? tags, string key) => tags?.FirstOrDefault(t => t.Key == key)?.Value;
}
