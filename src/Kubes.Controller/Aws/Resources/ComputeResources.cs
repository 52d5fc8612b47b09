using Kubes.Controller.Reconciler;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Aws.Resources;

/// <summary>A slot's encrypted gp3 data volume. It outlives the slot's instances: a replacement attaches it again.</summary>
public sealed record DataVolumeResource(ResourceKey Key, InstanceSlot Slot, int SizeGiB,
    IReadOnlyDictionary<string, string> Tags) : DesiredResource(Key)
{
    public const string VolumeType = "gp3";

    public override IReadOnlyList<ResourceKey> DependsOn => [];

    public override IReadOnlyList<ResourceProperty> Describe() =>
        [new("zone", Slot.Zone.Zone), new("size", $"{SizeGiB} GiB"), new("type", VolumeType), new("encrypted", "true")];
}

/// <summary>One instance for one slot, at the slot's fixed address, IMDSv2 only with a hop limit of 1.</summary>
public sealed record InstanceResource(ResourceKey Key, InstanceSlot Slot, ResourceKey Subnet, ResourceKey SecurityGroup,
    ResourceKey InstanceProfile, IReadOnlyList<ResourceKey> After, IReadOnlyDictionary<string, string> Tags)
    : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn => [Subnet, SecurityGroup, InstanceProfile, .. After];

    public override IReadOnlyList<ResourceProperty> Describe() =>
    [
        new("role", Slot.Role.TagValue()),
        new("zone", Slot.Zone.Zone),
        new("privateIp", Slot.PrivateIp?.ToString() ?? "(assigned by the subnet)"),
        new("type", Slot.InstanceType),
        new("subnet", Subnet.ToString()),
        new("securityGroup", SecurityGroup.ToString()),
        new("instanceProfile", InstanceProfile.ToString()),
        new("rootVolume", $"{Slot.RootVolumeSizeGiB} GiB gp3 encrypted"),
        new("metadata", "IMDSv2 required, hop limit 1"),
        new("userData", "bootstrap.sh with a single-use join token"),
    ];
}

public sealed record VolumeAttachmentResource(ResourceKey Key, ResourceKey Volume, ResourceKey Instance, string Device)
    : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn => [Volume, Instance];

    public override IReadOnlyList<ResourceProperty> Describe() =>
        [new("volume", Volume.ToString()), new("instance", Instance.ToString()), new("device", Device)];
}

public sealed record LaunchTemplateResource(ResourceKey Key, string TemplateName, InstanceSlot Prototype,
    ResourceKey SecurityGroup, ResourceKey InstanceProfile, IReadOnlyDictionary<string, string> Tags)
    : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn => [SecurityGroup, InstanceProfile];

    public override IReadOnlyList<ResourceProperty> Describe() =>
    [
        new("name", TemplateName), new("type", Prototype.InstanceType),
        new("rootVolume", $"{Prototype.RootVolumeSizeGiB} GiB gp3 encrypted"),
        new("metadata", "IMDSv2 required, hop limit 1"),
    ];
}

public sealed record AutoScalingGroupResource(ResourceKey Key, string GroupName, ResourceKey LaunchTemplate,
    IReadOnlyList<ResourceKey> Subnets, int Min, int Max, int Desired, IReadOnlyDictionary<string, string> Tags)
    : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn => [LaunchTemplate, .. Subnets];

    public override IReadOnlyList<ResourceProperty> Describe() =>
    [
        new("name", GroupName), new("launchTemplate", LaunchTemplate.ToString()),
        new("subnets", string.Join(", ", Subnets)), new("min", $"{Min}"), new("max", $"{Max}"), new("desired", $"{Desired}"),
    ];
}
