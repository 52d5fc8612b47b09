using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kubes.Controller.Operations.Kubeconfig;

/// <summary>A kubeconfig file that is not one (YAML that does not parse, or lists that are not lists).</summary>
public sealed class KubeconfigFormatException(string message) : Exception(message);

/// <summary>
/// Writes a cluster's admin entries into a kubeconfig: a cluster, a user and a context, each replaced by name when there,
/// appended otherwise, and the context made current. Everything else of the file (other clusters, users, contexts,
/// preferences, extensions) is kept as it was read, since it is edited as YAML nodes, not through a model that knows only
/// some fields.
/// </summary>
public static class KubeconfigDocument
{
    /// <summary>A kubeconfig holding only <paramref name="credentials"/>.</summary>
    public static string Standalone(AdminCredentials credentials) => Merge(null, credentials, "(new file)");

    /// <param name="existing">The file's text; null or blank for none.</param>
    /// <param name="where">The file, for error messages.</param>
    /// <exception cref="KubeconfigFormatException">The existing text is not a kubeconfig.</exception>
    public static string Merge(string? existing, AdminCredentials credentials, string where)
    {
        var root = string.IsNullOrWhiteSpace(existing) ? new YamlMappingNode() : Parse(existing, where);
        SetIfMissing(root, "apiVersion", "v1");
        SetIfMissing(root, "kind", "Config");
        Upsert(root, "clusters", credentials.Cluster, "cluster", new YamlMappingNode
        {
            { "certificate-authority-data", Base64(credentials.CaPem) },
            { "server", credentials.Server.ToString().TrimEnd('/') },
        }, where);
        Upsert(root, "contexts", credentials.ContextName, "context", new YamlMappingNode
        {
            { "cluster", credentials.Cluster },
            { "user", credentials.UserName },
        }, where);
        root.Children[new YamlScalarNode("current-context")] = new YamlScalarNode(credentials.ContextName);
        Upsert(root, "users", credentials.UserName, "user", new YamlMappingNode
        {
            { "client-certificate-data", Base64(credentials.CertificatePem) },
            { "client-key-data", Base64(credentials.PrivateKeyPem) },
        }, where);
        return Render(root);
    }

    private static YamlMappingNode Parse(string text, string where)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new KubeconfigFormatException(
                $"{where} is not valid YAML ({e.Start.Line}:{e.Start.Column}: {e.Message}), so it is not a kubeconfig; fix or move "
                + "it, or give --out another file");
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new KubeconfigFormatException(
                $"{where} is not a kubeconfig (its top level is not one mapping of apiVersion, clusters, contexts, users, …); fix "
                + "or move it, or give --out another file");
        return root;
    }

    private static void SetIfMissing(YamlMappingNode root, string key, string value)
    {
        if (!root.Children.ContainsKey(new YamlScalarNode(key))) root.Children[new YamlScalarNode(key)] = new YamlScalarNode(value);
    }

    /// <summary>In the list under <paramref name="listKey"/>, the entry named <paramref name="name"/> gets
    /// <paramref name="body"/> under <paramref name="bodyKey"/>: replaced when it is there, appended when not.</summary>
    private static void Upsert(YamlMappingNode root, string listKey, string name, string bodyKey, YamlMappingNode body, string where)
    {
        var key = new YamlScalarNode(listKey);
        var list = root.Children.TryGetValue(key, out var node) ? node : null;
        if (list is null or YamlScalarNode { Value: null or "" or "null" or "~" })
            root.Children[key] = list = new YamlSequenceNode();
        if (list is not YamlSequenceNode entries)
            throw new KubeconfigFormatException($"{where}: {listKey} is not a list, so the file is not a kubeconfig; fix or move it");
        var entry = new YamlMappingNode { { "name", name }, { bodyKey, body } };
        for (var i = 0; i < entries.Children.Count; i++)
        {
            if (entries.Children[i] is YamlMappingNode existing
                && existing.Children.TryGetValue(new YamlScalarNode("name"), out var n) && n is YamlScalarNode { Value: var v } && v == name)
            {
                entries.Children[i] = entry;
                return;
            }
        }
        entries.Add(entry);
    }

    private static string Render(YamlMappingNode root)
    {
        var text = new StringBuilder();
        using (var writer = new StringWriter(text)) new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var rendered = text.ToString().ReplaceLineEndings("\n");
        // YamlStream ends each document with an explicit end marker, which kubectl does not need.
        return rendered.EndsWith("...\n", StringComparison.Ordinal) ? rendered[..^4] : rendered;
    }

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
}
