namespace Kubes.Agent.Flags;

/// <summary>
/// The Kubernetes minors a flag exists in, both ends included, either end open: kubelet's
/// <c>pod-infra-container-image</c> is <c>FlagGate.UpTo(1, 34)</c>, a flag added in 1.35 is <c>FlagGate.Since(1, 35)</c>.
/// </summary>
public sealed record FlagGate(KubernetesMinor? First, KubernetesMinor? Last)
{
    public static FlagGate Since(int major, int minor) => new(new KubernetesMinor(major, minor), null);

    public static FlagGate UpTo(int major, int minor) => new(null, new KubernetesMinor(major, minor));

    public bool Allows(KubernetesMinor version) => (First is not { } first || version >= first) && (Last is not { } last || version <= last);

    public override string ToString() => (First, Last) switch
    {
        (null, { } last) => $"up to {last}",
        ({ } first, null) => $"from {first}",
        ({ } first, { } last) => $"from {first} to {last}",
        _ => "in every minor",
    };
}
