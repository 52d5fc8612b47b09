using Kubes.StandIns.Files;
using Kubes.StandIns.Flags;
using YamlDotNet.RepresentationModel;

namespace Kubes.StandIns.ApiServer;

/// <summary>
/// Which requests without a client certificate kube-apiserver serves. With an --authentication-config that configures
/// anonymous access, exactly the paths of its conditions (any path when it has none); otherwise, with --anonymous-auth
/// (true by default), what RBAC's system:public-info-viewer grants anonymous users: /healthz, /livez, /readyz and
/// /version. Anything else is 401 (unauthenticated) or 403 (anonymous, but not allowed).
/// </summary>
public sealed record AnonymousAccess(bool Enabled, IReadOnlySet<string>? Paths)
{
    private static readonly string[] PublicInfo = ["/healthz", "/livez", "/readyz", "/version"];

    /// <summary>Whether an anonymous request for the path is authenticated (as system:anonymous) at all.</summary>
    public bool Authenticates(string path) => Enabled && (Paths is null || Paths.Contains(path));

    /// <summary>Whether system:anonymous may read the path.</summary>
    public static bool IsPublicInfo(string path) => PublicInfo.Any(p => path == p || path.StartsWith(p + "/", StringComparison.Ordinal));

    public static AnonymousAccess From(CommandLine line, CheckedFiles files)
    {
        if (files.Config("authentication-config") is { } config
            && config.Children.TryGetValue(new YamlScalarNode("anonymous"), out var node) && node is YamlMappingNode anonymous)
        {
            if (line.Has("anonymous-auth"))
                throw new StandInException("--anonymous-auth cannot be given with an --authentication-config that configures anonymous access");
            var enabled = Configs.StrictConfig.Scalar(anonymous, "enabled") == "true";
            var conditions = anonymous.Children.TryGetValue(new YamlScalarNode("conditions"), out var list) && list is YamlSequenceNode items
                ? items.Children.OfType<YamlMappingNode>().Select(c => Configs.StrictConfig.Scalar(c, "path") ?? "").ToHashSet()
                : null;
            if (!enabled && conditions is { Count: > 0 })
                throw new StandInException("--authentication-config: anonymous.conditions are given while anonymous.enabled is false");
            return new AnonymousAccess(enabled, conditions is { Count: > 0 } ? conditions : null);
        }

        return new AnonymousAccess(line.IsTrue("anonymous-auth", byDefault: true), null);
    }
}
