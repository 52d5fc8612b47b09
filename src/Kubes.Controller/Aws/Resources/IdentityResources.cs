using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Aws.Resources;

/// <summary>An IAM role for one instance role, with its single inline policy. Found by its path /kubes/&lt;cluster&gt;/.</summary>
public sealed record IamRoleResource(ResourceKey Key, string RoleName, string Path, string AssumeRolePolicy,
    string PolicyName, string PolicyDocument, IReadOnlyDictionary<string, string> Tags) : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn => [];

    public override IReadOnlyList<ResourceProperty> Describe() =>
        [new("name", RoleName), new("path", Path), new("policy", $"{PolicyName} ({PolicyDocument.Length} bytes)")];
}

public sealed record InstanceProfileResource(ResourceKey Key, string ProfileName, string Path, ResourceKey Role,
    IReadOnlyDictionary<string, string> Tags) : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn => [Role];

    public override IReadOnlyList<ResourceProperty> Describe() =>
        [new("name", ProfileName), new("role", Role.ToString())];
}

/// <summary>The state store: private (public access blocked), versioned, encrypted.</summary>
public sealed record StateBucketResource(ResourceKey Key, string BucketName, IReadOnlyDictionary<string, string> Tags)
    : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn => [];

    public override IReadOnlyList<ResourceProperty> Describe() =>
    [
        new("name", BucketName), new("versioning", "Enabled"), new("encryption", "aws:kms"),
        new("publicAccess", "blocked"),
    ];
}
