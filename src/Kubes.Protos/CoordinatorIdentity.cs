namespace Kubes.Protos;

/// <summary>
/// Who the coordinator is in its serving certificate. The Kubernetes CA signs other servers too
/// (kube-apiserver, kubelets), so an agent checks this name, not only the CA.
/// </summary>
public static class CoordinatorIdentity
{
    public const string CommonName = "kubes-coordinator";
}
