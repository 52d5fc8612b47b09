using Kubes.Agent.Conversation;
using Kubes.Agent.Pki;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.Addons;

/// <summary>
/// What a controller's add-on manager works with: the add-ons' objects in apply order and their set's hash, this
/// controller's apiserver, and its client certificate (<c>kubes:addon-manager</c>). Refuses a configuration that lacks
/// them, or whose objects could not be applied as given.
/// </summary>
public sealed class AddonsLayout
{
    public AddonsLayout(RoleConfig config, PkiFiles pki)
    {
        Config = config;
        var addons = config.Addons ?? throw Invalid("has no addons section");
        if (config.Certificates.All(c => c.FileStem != CertificateFiles.AddonManager))
            throw Invalid($"asks for no '{CertificateFiles.AddonManager}' certificate");
        if (config.Name.Length == 0) throw Invalid("has no instance name, which the add-on lease names as its holder");
        CheckPaths(addons.Objects);

        ApiServer = LocalApiServer.Of(config, ComponentNames.Addons);
        CaFile = pki.CaPath(CertificateFiles.AddonManager);
        CertificateFile = pki.CertificatePath(CertificateFiles.AddonManager);
        KeyFile = pki.KeyPath(CertificateFiles.AddonManager);
        Objects = addons.Objects.ToList();
        SetHash = AddonHashes.OfSet(Objects);
    }

    public RoleConfig Config { get; }
    public string InstanceName => Config.Name;
    public Uri ApiServer { get; }
    public string CaFile { get; }
    public string CertificateFile { get; }
    public string KeyFile { get; }
    public IReadOnlyList<AddonObject> Objects { get; }
    public string SetHash { get; }

    private void CheckPaths(IEnumerable<AddonObject> objects)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var o in objects)
        {
            if (!(o.Path.StartsWith("/api/", StringComparison.Ordinal) || o.Path.StartsWith("/apis/", StringComparison.Ordinal)) || o.Path.Contains('?'))
                throw Invalid($"has the object path '{o.Path}' (add-on '{o.Addon}'), which is not an API path such as /apis/apps/v1/namespaces/kube-system/deployments/coredns");
            if (!seen.Add(o.Path)) throw Invalid($"lists the object {o.Path} twice");
        }
    }

    private InvalidRoleConfigException Invalid(string problem) =>
        new($"the addons role configuration for {(Config.Name.Length > 0 ? Config.Name : "this instance")} {problem}; the coordinator's RoleConfig must be fixed");
}
