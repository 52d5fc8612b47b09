namespace Kubes.Protos.Contract;

/// <summary>The names artifacts carry in a RoleConfig and in the cluster's mirror.</summary>
public static class ArtifactNames
{
    public const string Agent = "kubes-agent";
    public const string Etcd = "etcd";
}
