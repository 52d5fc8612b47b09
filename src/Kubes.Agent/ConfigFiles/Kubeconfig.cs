using System.Text.Json.Serialization;

namespace Kubes.Agent.ConfigFiles;

/// <summary>
/// A kubeconfig (<c>apiVersion: v1</c>, <c>kind: Config</c>) that points at its certificate files rather than embedding
/// them, so a renewed certificate is picked up without rewriting it: what kubelet, kube-proxy, kube-controller-manager
/// and kube-scheduler read.
/// </summary>
public sealed record Kubeconfig
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; init; } = "v1";

    [JsonPropertyName("kind")]
    public string Kind { get; init; } = "Config";

    [JsonPropertyName("clusters")]
    public required IReadOnlyList<KubeconfigNamedCluster> Clusters { get; init; }

    [JsonPropertyName("contexts")]
    public required IReadOnlyList<KubeconfigNamedContext> Contexts { get; init; }

    [JsonPropertyName("current-context")]
    public required string CurrentContext { get; init; }

    [JsonPropertyName("users")]
    public required IReadOnlyList<KubeconfigNamedUser> Users { get; init; }

    /// <summary>One cluster, one user with a client certificate, and the context joining them, current.</summary>
    public static Kubeconfig ForClientCertificate(string cluster, Uri server, string caFile, string user, string certificateFile,
        string keyFile) => new()
    {
        Clusters = [new KubeconfigNamedCluster(cluster, new KubeconfigCluster(server.AbsoluteUri.TrimEnd('/'), caFile))],
        Contexts = [new KubeconfigNamedContext($"{user}@{cluster}", new KubeconfigContext(cluster, user))],
        CurrentContext = $"{user}@{cluster}",
        Users = [new KubeconfigNamedUser(user, new KubeconfigUser(certificateFile, keyFile))],
    };
}

public sealed record KubeconfigNamedCluster(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("cluster")] KubeconfigCluster Cluster);

public sealed record KubeconfigCluster(
    [property: JsonPropertyName("server")] string Server,
    [property: JsonPropertyName("certificate-authority")] string CertificateAuthority);

public sealed record KubeconfigNamedContext(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("context")] KubeconfigContext Context);

public sealed record KubeconfigContext(
    [property: JsonPropertyName("cluster")] string Cluster,
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("namespace")] string? Namespace = null);

public sealed record KubeconfigNamedUser(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("user")] KubeconfigUser User);

public sealed record KubeconfigUser(
    [property: JsonPropertyName("client-certificate")] string ClientCertificate,
    [property: JsonPropertyName("client-key")] string ClientKey);
