using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Aws.Resources;

/// <summary>Where allowed traffic may come from: a CIDR block or another of the cluster's security groups.</summary>
public sealed record RuleSource(string? Cidr, ResourceKey? Group)
{
    public static RuleSource FromCidr(string cidr) => new(cidr, null);

    public static RuleSource FromGroup(ResourceKey group) => new(null, group);

    public override string ToString() => Cidr ?? Group!.Value.ToString();
}

/// <summary>One ingress rule; <see cref="Why"/> is the line of docs/network.md it implements.</summary>
public sealed record IngressRule(string Protocol, int FromPort, int ToPort, RuleSource Source, string Why)
{
    public string Ports => Protocol is "-1" or "4" ? "all" : FromPort == ToPort ? $"{FromPort}" : $"{FromPort}-{ToPort}";

    /// <summary>The rule's identity for diffs, independent of its description.</summary>
    public string Signature => $"{ProtocolName} {Ports} from {Source}";

    public string ProtocolName => Protocol switch { "-1" => "all", "4" => "ipip", _ => Protocol };
}

/// <summary>The group itself; its rules are a separate resource so that groups naming each other do not form a cycle.</summary>
public sealed record SecurityGroupResource(ResourceKey Key, string GroupName, string Description, ResourceKey Vpc,
    IReadOnlyDictionary<string, string> Tags) : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn => [Vpc];

    public override IReadOnlyList<ResourceProperty> Describe() =>
        [new("name", GroupName), new("vpc", Vpc.ToString()), new("description", Description)];
}

/// <summary>The complete ingress rule set of one group: missing rules are authorised, extra ones revoked.</summary>
public sealed record SecurityGroupRulesResource(ResourceKey Key, ResourceKey Group, IReadOnlyList<IngressRule> Rules)
    : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn =>
        [Group, .. Rules.Where(r => r.Source.Group is { } g && g != Group).Select(r => r.Source.Group!.Value).Distinct()];

    public override IReadOnlyList<ResourceProperty> Describe() =>
        [.. Rules.Select(r => new ResourceProperty("ingress", $"{r.Signature}  ({r.Why})"))];
}
