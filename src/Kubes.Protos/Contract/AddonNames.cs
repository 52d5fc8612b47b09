namespace Kubes.Protos.Contract;

/// <summary>
/// What the coordinator and the controllers' add-on managers both name in the cluster: the field manager of every object
/// Kubes applies, the Lease that lets one controller apply at a time, and the ConfigMap recording what it applied.
/// </summary>
public static class AddonNames
{
    /// <summary>The field manager of every object Kubes applies: what it owns, and what it prunes.</summary>
    public const string FieldManager = "kubes";

    public const string Namespace = "kube-system";

    /// <summary>The Lease (coordination.k8s.io/v1) and the ConfigMap holding the record, both in <see cref="Namespace"/>.</summary>
    public const string LeaseAndRecord = "kubes-addons";

    /// <summary>The record's data key in the ConfigMap: JSON of the set's hash, who applied it, each path with its body's hash.</summary>
    public const string RecordKey = "applied.json";

    public const string RecordPath = $"/api/v1/namespaces/{Namespace}/configmaps/{LeaseAndRecord}";
}
