using Kubes.Protos.Contract;
namespace Kubes.Controller.Spec;

/// <summary>The spellings of one enum in cluster.yaml, in the order they are listed to the operator.</summary>
public sealed class SpecEnumNames<T> where T : struct, Enum
{
    private readonly (T Value, string Name)[] entries;

    private readonly Dictionary<string, string> refused = new(StringComparer.Ordinal);

    internal SpecEnumNames(params (T Value, string Name)[] entries) => this.entries = entries;

    /// <summary>A spelling operators may expect that Kubes does not offer, with the reason it says instead of "not one of".</summary>
    internal SpecEnumNames<T> Refusing(string name, string reason)
    {
        refused[name] = reason;
        return this;
    }

    /// <summary>Why <paramref name="text"/> is not offered, when it is a spelling Kubes refuses on purpose.</summary>
    public string? RefusalOf(string? text) => text is not null && refused.TryGetValue(text, out var reason) ? reason : null;

    public IReadOnlyList<string> Names => entries.Select(e => e.Name).ToArray();

    /// <summary>"aws | local", for comments and messages.</summary>
    public string Alternatives => string.Join(" | ", Names);

    public string NameOf(T value) =>
        entries.FirstOrDefault(e => EqualityComparer<T>.Default.Equals(e.Value, value)).Name
        ?? throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(T).Name} has no spec name");

    public bool TryParse(string? text, out T value)
    {
        foreach (var entry in entries)
        {
            if (entry.Name == text)
            {
                value = entry.Value;
                return true;
            }
        }
        value = default;
        return false;
    }
}

/// <summary>How every enum of the spec is written in cluster.yaml.</summary>
public static class SpecEnumNames
{
    public static SpecEnumNames<ProviderKind> Provider { get; } =
        new((ProviderKind.Aws, "aws"), (ProviderKind.Local, "local"));

    public static SpecEnumNames<CniKind> Cni { get; } =
        new SpecEnumNames<CniKind>((CniKind.Calico, "calico"), (CniKind.Flannel, "flannel"))
            .Refusing("cilium", "Cilium is published as a Helm chart and its own CLI, and Kubes applies a CNI from the plain manifest "
                                + "its project publishes (docs/nodes.md); use calico (the default, with network policies) or flannel");

    public static SpecEnumNames<AgentChannel> AgentChannel { get; } =
        new((Spec.AgentChannel.S3, "s3"), (Spec.AgentChannel.Grpc, "grpc"));

    public static SpecEnumNames<NatGatewayMode> NatGateways { get; } =
        new((NatGatewayMode.PerZone, "perZone"), (NatGatewayMode.Single, "single"));

    public static SpecEnumNames<KeyAlgorithm> KeyAlgorithm { get; } =
        new((Spec.KeyAlgorithm.EcdsaP256, KeyAlgorithms.EcdsaP256), (Spec.KeyAlgorithm.Rsa2048, KeyAlgorithms.Rsa2048),
            (Spec.KeyAlgorithm.Rsa4096, KeyAlgorithms.Rsa4096));

    public static string ToSpecName(this ProviderKind value) => Provider.NameOf(value);
    public static string ToSpecName(this CniKind value) => Cni.NameOf(value);
    public static string ToSpecName(this AgentChannel value) => AgentChannel.NameOf(value);
    public static string ToSpecName(this NatGatewayMode value) => NatGateways.NameOf(value);
    public static string ToSpecName(this KeyAlgorithm value) => KeyAlgorithm.NameOf(value);
}
