using System.Text.RegularExpressions;

namespace Kubes.StandIns.ApiServer;

/// <summary>
/// The path of an API object or of a collection of them: /api/v1/[namespaces/{ns}/]{resource}[/{name}] and
/// /apis/{group}/{version}/[namespaces/{ns}/]{resource}[/{name}]. /api/v1/namespaces/{name} is the Namespace object
/// itself (cluster-scoped resource "namespaces"), not a namespace's collection. A cluster-scoped collection of a
/// namespaced resource (/api/v1/configmaps) holds the objects of every namespace, as the apiserver lists them.
/// </summary>
public sealed partial record ApiPath(string Group, string Version, string? Namespace, string Resource, string? Name)
{
    /// <summary>The subresources of a Namespace, which stand where a resource of the namespace would.</summary>
    private static readonly HashSet<string> NamespaceSubresources = ["status", "finalize"];

    public bool IsCollection => Name is null;

    /// <summary>What an object's apiVersion says: "v1" for the core group, else "{group}/{version}".</summary>
    public string ApiVersion => Group == "" ? Version : $"{Group}/{Version}";

    /// <summary>The resource as the apiserver names it in messages: "configmaps", "leases.coordination.k8s.io".</summary>
    public string QualifiedResource => Group == "" ? Resource : $"{Resource}.{Group}";

    public ApiPath Collection => this with { Name = null };

    public ApiPath Child(string name) => this with { Name = name };

    /// <summary>The part every path of this group and version starts with.</summary>
    public string GroupVersionRoot => Group == "" ? $"/api/{Version}" : $"/apis/{Group}/{Version}";

    public override string ToString() =>
        $"{GroupVersionRoot}{(Namespace is null ? "" : $"/namespaces/{Namespace}")}/{Resource}{(Name is null ? "" : $"/{Name}")}";

    /// <summary>The object or collection the path names; null for anything else (discovery, subresources, other paths).</summary>
    public static ApiPath? Parse(string path)
    {
        var segments = path.TrimEnd('/').Split('/');
        if (segments.Length < 2 || segments[0] != "" || segments.Skip(1).Any(s => s is "" or "." or "..")) return null;
        string group, version;
        ReadOnlySpan<string> rest;
        if (segments is [_, "api", "v1", ..])
        {
            (group, version) = ("", "v1");
            rest = segments.AsSpan(3);
        }
        else if (segments is [_, "apis", var g, var v, ..] && GroupName().IsMatch(g) && VersionName().IsMatch(v))
        {
            (group, version) = (g, v);
            rest = segments.AsSpan(4);
        }
        else return null;

        string? ns = null;
        if (rest is ["namespaces", _, var next, ..] && !NamespaceSubresources.Contains(next))
        {
            ns = rest[1];
            rest = rest[2..];
        }

        return rest switch
        {
            [var resource] when ResourceName().IsMatch(resource) => new ApiPath(group, version, ns, resource, null),
            [var resource, var name] when ResourceName().IsMatch(resource) => new ApiPath(group, version, ns, resource, name),
            _ => null,
        };
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$")]
    private static partial Regex GroupName();

    [GeneratedRegex("^v[0-9]+((alpha|beta)[0-9]+)?$")]
    private static partial Regex VersionName();

    [GeneratedRegex("^[a-z][a-z0-9]*$")]
    private static partial Regex ResourceName();
}
