namespace Kubes.Controller.Artifacts;

/// <summary>
/// Where artifacts and their checksum files are fetched from: upstream, or an operator's mirror site
/// (<c>spec.artifacts.baseUrl</c>) that keeps each file's path under a folder named for its upstream host, as
/// <c>wget --force-directories</c> lays a download out:
/// <c>https://dl.k8s.io/release/v1.36.3/bin/linux/amd64/kubelet</c> is read from
/// <c>&lt;baseUrl&gt;/dl.k8s.io/release/v1.36.3/bin/linux/amd64/kubelet</c>.
/// </summary>
public sealed record ArtifactSite(string BaseUrl)
{
    public static readonly ArtifactSite Upstream = new("");

    public static ArtifactSite Of(Spec.ClusterSpec spec) => new(spec.Artifacts.BaseUrl);

    public bool IsUpstream => BaseUrl.Length == 0;

    public Uri Locate(Uri upstream) =>
        IsUpstream ? upstream : new Uri($"{BaseUrl.TrimEnd('/')}/{upstream.Host}{upstream.AbsolutePath}");

    /// <summary>Why <paramref name="baseUrl"/> cannot be a mirror site, or null when it can ("" means upstream).</summary>
    public static string? ProblemWith(string baseUrl)
    {
        if (baseUrl.Length == 0) return null;
        var example = "like https://mirror.example.com/kubes";
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            return $"must be an absolute https:// URL, {example}, or \"\" for the upstream sites (got '{baseUrl}')";
        if (uri.Scheme != Uri.UriSchemeHttps)
            return $"must be an https:// URL: artifacts and their checksums are only fetched over HTTPS, {example} (got '{baseUrl}')";
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            return $"must have no user, query or fragment: each file's path is appended to it, {example} (got '{baseUrl}')";
        return null;
    }
}
