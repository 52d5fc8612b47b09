using System.Security.Cryptography.X509Certificates;
using System.Text;
using YamlDotNet.RepresentationModel;
using Kubes.StandIns.Files;

namespace Kubes.StandIns.Configs;

/// <summary>
/// A kubeconfig a flag names, read strictly (Reference/fields/Config.fields.tsv) and checked: its current context
/// names a cluster and a user it has; every cluster's CA (file or data) is a CA bundle and its server an https URL;
/// every user's client certificate and key parse, match and allow client authentication. Only client certificates
/// authenticate (what Kubes gives its components); a token, password or exec plugin is refused, since the stand-in could
/// not check it. Relative file names are relative to the kubeconfig's folder, as client-go resolves them.
/// </summary>
public sealed class Kubeconfig
{
    private Kubeconfig(Uri server, string? tlsServerName, X509Certificate2Collection ca, X509Certificate2 client)
    {
        Server = server;
        TlsServerName = tlsServerName;
        Ca = ca;
        ClientCertificate = client;
    }

    /// <summary>The current context's cluster's server.</summary>
    public Uri Server { get; }

    public string? TlsServerName { get; }

    /// <summary>The current context's cluster's CA bundle: the server's certificate must chain to it.</summary>
    public X509Certificate2Collection Ca { get; }

    /// <summary>The current context's user's client certificate, with its key.</summary>
    public X509Certificate2 ClientCertificate { get; }

    public static Kubeconfig Read(string flag, string path)
    {
        var where = $"--{flag} {path}";
        var root = StrictConfig.Read($"--{flag}", path, FieldSchema.For("Config"), typeMetaOptional: true);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var clusters = Named(root, "clusters", "cluster");
        var users = Named(root, "users", "user");
        var contexts = Named(root, "contexts", "context");
        var checkedClusters = clusters.ToDictionary(c => c.Key, c => Cluster(where, folder, c.Key, c.Value));
        var checkedUsers = users.ToDictionary(u => u.Key, u => User(where, folder, u.Key, u.Value));

        var current = StrictConfig.Scalar(root, "current-context")
            ?? throw new StandInException($"{where}: names no current-context; the component would not know which cluster to reach");
        if (!contexts.TryGetValue(current, out var context))
            throw new StandInException($"{where}: current-context '{current}' is not one of its contexts ({string.Join(", ", contexts.Keys)})");
        var clusterName = StrictConfig.Scalar(context, "cluster") ?? "";
        var userName = StrictConfig.Scalar(context, "user") ?? "";
        if (!checkedClusters.TryGetValue(clusterName, out var cluster))
            throw new StandInException($"{where}: context '{current}' names cluster '{clusterName}', which it does not have");
        if (!checkedUsers.TryGetValue(userName, out var user))
            throw new StandInException($"{where}: context '{current}' names user '{userName}', which it does not have");
        return new Kubeconfig(cluster.Server, cluster.TlsServerName, cluster.Ca, user);
    }

    private static Dictionary<string, YamlMappingNode> Named(YamlMappingNode root, string list, string item)
    {
        var named = new Dictionary<string, YamlMappingNode>(StringComparer.Ordinal);
        if (!root.Children.TryGetValue(new YamlScalarNode(list), out var node) || node is not YamlSequenceNode entries) return named;
        foreach (var entry in entries.Children.OfType<YamlMappingNode>())
        {
            var name = StrictConfig.Scalar(entry, "name") ?? "";
            named[name] = entry.Children.TryGetValue(new YamlScalarNode(item), out var value) && value is YamlMappingNode mapping
                ? mapping
                : new YamlMappingNode();
        }

        return named;
    }

    private static (Uri Server, string? TlsServerName, X509Certificate2Collection Ca) Cluster(string where, string folder, string name, YamlMappingNode cluster)
    {
        var at = $"{where}, cluster '{name}'";
        var server = StrictConfig.Scalar(cluster, "server");
        if (server is null || !Uri.TryCreate(server, UriKind.Absolute, out var url) || url.Scheme != "https")
            throw new StandInException($"{at}: server '{server}' is not an https:// URL");
        if (StrictConfig.Scalar(cluster, "insecure-skip-tls-verify") == "true")
            throw new StandInException($"{at}: insecure-skip-tls-verify is set; the server's certificate must be verified against its CA");
        var ca = Source(at, folder, cluster, "certificate-authority")
            ?? throw new StandInException($"{at}: names no certificate-authority or certificate-authority-data to verify the server with");
        return (url, StrictConfig.Scalar(cluster, "tls-server-name"), Pem.CaBundle(ca.Where, ca.Pem));
    }

    private static X509Certificate2 User(string where, string folder, string name, YamlMappingNode user)
    {
        var at = $"{where}, user '{name}'";
        foreach (var unsupported in new[] { "token", "tokenFile", "username", "password", "auth-provider", "exec" })
        {
            if (user.Children.ContainsKey(new YamlScalarNode(unsupported)))
                throw new StandInException($"{at}: authenticates with '{unsupported}'; the stand-ins check client certificates only");
        }

        var certificate = Source(at, folder, user, "client-certificate")
            ?? throw new StandInException($"{at}: has no client-certificate or client-certificate-data");
        var key = Source(at, folder, user, "client-key")
            ?? throw new StandInException($"{at}: has no client-key or client-key-data");
        return Pem.CertificateWithKey(certificate.Where, certificate.Pem, key.Where, key.Pem, Pem.ClientAuth);
    }

    /// <summary>A PEM given as a file field or as its <c>-data</c> field (base64), with where it came from.</summary>
    private static (string Where, string Pem)? Source(string at, string folder, YamlMappingNode node, string field)
    {
        if (StrictConfig.Scalar(node, field + "-data") is { Length: > 0 } data)
        {
            try
            {
                return ($"{at}, {field}-data", Encoding.UTF8.GetString(Convert.FromBase64String(data)));
            }
            catch (FormatException)
            {
                throw new StandInException($"{at}: {field}-data is not base64");
            }
        }

        if (StrictConfig.Scalar(node, field) is not { Length: > 0 } file) return null;
        var path = Path.IsPathRooted(file) ? file : Path.Join(folder, file);
        return ($"{at}, {field} {path}", Pem.ReadFile($"{at}, {field}", path));
    }
}
