namespace Kubes.Controller.Spec;

/// <summary>The allowed ranges of spec fields, shared by the validator and the comments <c>kubes init</c> writes.</summary>
public static class SpecLimits
{
    /// <summary>The name goes into the state bucket's name and every resource name, which have their own limits.</summary>
    public const int MaxNameLength = 40;

    public const int ZoneCount = 3;

    /// <summary>etcd needs an odd member count for quorum; beyond 7 writes get slower without more tolerance.</summary>
    public static readonly IReadOnlyList<int> EtcdCounts = [1, 3, 5, 7];

    public const int MaxBastions = 1;
    public const int MinControllers = 1;
    public const int MinNodes = 1;
    /// <summary>Kubernetes' own tested limit for one cluster.</summary>
    public const int MaxNodes = 5000;

    public const int MinVpcPrefix = 16;
    /// <summary>
    /// Node slots start at offset 100 of their zone's private subnet, so three private /25s and three public /28s
    /// must fit: a /24 never can. How small a VPC may be also depends on spec.nodes.max (see NetworkValidator).
    /// </summary>
    public const int MaxVpcPrefix = 23;
    /// <summary>kube-apiserver refuses a service range of more than 20 host bits.</summary>
    public const int MinServicePrefix = 12;
    public const int MaxServicePrefix = 28;
    /// <summary>Each node gets a /24 of the pod range.</summary>
    public const int NodePodPrefix = 24;
    /// <summary>AWS's smallest subnet.</summary>
    public const int MaxSubnetPrefix = 28;

    public const int MinRootVolumeGiB = 8;
    public const int MaxVolumeGiB = 16384;

    public static readonly Lifetime MinCaLifetime = Lifetime.FromDays(1);
    public static readonly Lifetime MaxCaLifetime = Lifetime.FromDays(36500);
    /// <summary>
    /// The shortest leaf lifetime, for tests: an agent renews between two thirds and three quarters of it, and the rest
    /// (30 s here) is what is left for a renewal that has to be retried.
    /// </summary>
    public static readonly Lifetime MinCertificateLifetime = Lifetime.FromMinutes(2);

    public static readonly IReadOnlyList<string> PrivateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

    public static string SupportedKubernetesVersions =>
        string.Join(", ", KubernetesVersions.SupportedMinors.Select(m => $"{m}.x"));
}
