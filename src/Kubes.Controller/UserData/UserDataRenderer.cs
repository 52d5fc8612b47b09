using System.Globalization;
using System.Text;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Controller.UserData;

/// <summary>
/// Renders an instance's user-data: the embedded <c>userdata/bootstrap.sh</c> with a header of shell
/// variables in place of its settings marker. Every value is single-quoted; a value with a line break,
/// NUL or other control character is refused, since it could not round-trip through the script.
/// </summary>
public static class UserDataRenderer
{
    private const string ScriptResource = "bootstrap.sh";
    private const string SettingsMarker = "#@kubes-settings@";

    private static readonly Lazy<string> Template = new(LoadTemplate);

    public static string Render(UserDataSettings settings)
    {
        Validate(settings);
        var header = new StringBuilder();
        header.Append("# Rendered by kubes for this instance.\n");
        Assign(header, "KUBES_CLUSTER", settings.Cluster);
        Assign(header, "KUBES_ROLE", settings.Role.TagValue());
        Assign(header, "KUBES_SLOT", settings.Slot.ToString(CultureInfo.InvariantCulture));
        Assign(header, "KUBES_JOIN_TOKEN", settings.JoinToken);
        if (settings.StsEndpoint.Length > 0)
        {
            header.Append("# No join token: the nodes of an Auto Scaling group share this user-data and prove who they are through STS.\n");
            Assign(header, "KUBES_STS_ENDPOINT", settings.StsEndpoint);
            Assign(header, "KUBES_STS_REGION", settings.StsRegion);
        }
        Assign(header, "KUBES_AGENT_URL", settings.AgentUrl);
        Assign(header, "KUBES_AGENT_SHA256", settings.AgentSha256);
        Assign(header, "KUBES_CHANNEL", settings.Channel == AgentChannel.Grpc ? "grpc" : "s3");
        Assign(header, "KUBES_COORDINATOR_URL", settings.CoordinatorUrl);
        Assign(header, "KUBES_COORDINATOR_CA_SHA256", settings.CoordinatorCaSha256);
        Assign(header, "KUBES_COORDINATOR_CA", settings.CoordinatorCa);
        Assign(header, "KUBES_MAILBOX_BUCKET", settings.MailboxBucket);
        Assign(header, "KUBES_MAILBOX_PREFIX", settings.MailboxPrefix);
        Assign(header, "KUBES_MAILBOX_REGION", settings.MailboxRegion);
        Assign(header, "KUBES_MAILBOX_ENDPOINT", settings.MailboxEndpoint);
        header.Append("# The local provider runs many instances on one machine, each under its own root folder.\n");
        header.Append("if [ -z \"${KUBES_ROOT:-}\" ]; then KUBES_ROOT=").Append(ShellQuote(settings.RootDefault)).Append("; fi");
        return Template.Value.Replace(SettingsMarker, header.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A shell word that is exactly the value: single quotes, with each ' written as '\''.</summary>
    public static string ShellQuote(string value)
    {
        RefuseControlCharacters("value", value);
        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    private static void Assign(StringBuilder header, string name, string value) =>
        header.Append(name).Append('=').Append(ShellQuote(value)).Append('\n');

    private static void Validate(UserDataSettings settings)
    {
        foreach (var (field, value) in new[]
                 {
                     ("cluster", settings.Cluster), ("joinToken", settings.JoinToken), ("agentUrl", settings.AgentUrl),
                     ("stsEndpoint", settings.StsEndpoint), ("stsRegion", settings.StsRegion),
                     ("agentSha256", settings.AgentSha256), ("coordinatorUrl", settings.CoordinatorUrl),
                     ("coordinatorCaSha256", settings.CoordinatorCaSha256), ("coordinatorCa", settings.CoordinatorCa),
                     ("mailboxBucket", settings.MailboxBucket), ("mailboxPrefix", settings.MailboxPrefix),
                     ("mailboxRegion", settings.MailboxRegion), ("mailboxEndpoint", settings.MailboxEndpoint),
                     ("rootDefault", settings.RootDefault),
                 })
        {
            RefuseControlCharacters(field, value);
        }

        if (string.IsNullOrEmpty(settings.Cluster) || string.IsNullOrEmpty(settings.AgentUrl))
        {
            throw new ArgumentException("user-data needs the cluster name and the agent's URL");
        }

        if (string.IsNullOrEmpty(settings.JoinToken) == string.IsNullOrEmpty(settings.StsEndpoint))
        {
            throw new ArgumentException("user-data needs exactly one identity proof: a join token, or the STS endpoint of an Auto Scaling group");
        }

        if (settings.StsEndpoint.Length > 0
            && (!Uri.TryCreate(settings.StsEndpoint, UriKind.Absolute, out var sts) || sts.Scheme is not ("https" or "http") || settings.StsRegion.Length == 0))
        {
            throw new ArgumentException($"stsEndpoint '{settings.StsEndpoint}' must be an absolute http(s) URL, with stsRegion set");
        }

        if (settings.AgentSha256.Length != 64 || !settings.AgentSha256.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
        {
            throw new ArgumentException(
                $"agentSha256 '{settings.AgentSha256}' is not 64 lower-case hex digits: the script compares it with sha256sum's output");
        }

        if (settings.Slot < 0)
        {
            throw new ArgumentException($"slot {settings.Slot} is negative");
        }

        if (!settings.RootDefault.StartsWith('/') || settings.RootDefault.Any(c => char.IsWhiteSpace(c) || "\"'\\$%".Contains(c)))
        {
            throw new ArgumentException(
                $"rootDefault '{settings.RootDefault}' must be an absolute path without spaces, quotes, \\, $ or %");
        }

        if (settings.Channel == AgentChannel.Grpc && (settings.CoordinatorUrl.Length == 0 || settings.CoordinatorCaSha256.Length == 0))
        {
            throw new ArgumentException("the grpc channel needs coordinatorUrl and coordinatorCaSha256 in user-data");
        }

        if (settings.Channel == AgentChannel.S3 && settings.MailboxBucket.Length == 0)
        {
            throw new ArgumentException("the s3 channel needs the mailbox bucket in user-data");
        }
    }

    private static void RefuseControlCharacters(string field, string value)
    {
        if (value.Any(char.IsControl))
        {
            var bad = value.First(char.IsControl);
            throw new ArgumentException(
                $"user-data value '{field}' contains control character U+{(int)bad:X4} (a line break or NUL cannot be passed safely to the bootstrap script)");
        }
    }

    private static string LoadTemplate()
    {
        var assembly = typeof(UserDataRenderer).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + ScriptResource, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var script = reader.ReadToEnd();
        return script.Contains(SettingsMarker, StringComparison.Ordinal)
            ? script
            : throw new InvalidOperationException($"the embedded {ScriptResource} has no {SettingsMarker} line");
    }
}
