using System.Globalization;
using System.Xml.Linq;

namespace Kubes.Controller.Aws.Query;

/// <summary>
/// Reads Query-protocol response XML by local name, so one reader serves every service's namespace.
/// Lists are <c>&lt;Name&gt;&lt;member&gt;…&lt;/member&gt;&lt;/Name&gt;</c>.
/// </summary>
public static class QueryXml
{
    public static XElement? Child(this XElement element, string name) =>
        element.Elements().FirstOrDefault(child => child.Name.LocalName == name);

    public static string? Text(this XElement element, string name) => element.Child(name)?.Value;

    public static string RequiredText(this XElement element, string name) =>
        element.Text(name) ?? throw new InvalidDataException(
            $"The AWS response element <{element.Name.LocalName}> lacks <{name}>; the service answered in a shape Kubes does not know.");

    public static int? Int(this XElement element, string name) =>
        element.Text(name) is { } text ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture) : null;

    public static bool? Bool(this XElement element, string name) =>
        element.Text(name) is { } text ? string.Equals(text.Trim(), "true", StringComparison.OrdinalIgnoreCase) : null;

    public static DateTimeOffset? Date(this XElement element, string name) =>
        element.Text(name) is { } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null;

    /// <summary>The <c>member</c> elements of the list <paramref name="name"/>; empty when the list is absent.</summary>
    public static IEnumerable<XElement> Members(this XElement element, string name) =>
        element.Child(name)?.Elements().Where(child => child.Name.LocalName == "member") ?? [];

    public static IReadOnlyList<string> Strings(this XElement element, string name) =>
        [.. element.Members(name).Select(member => member.Value)];

    public static IReadOnlyList<AwsTag> Tags(this XElement element, string name = "Tags") =>
        [.. element.Members(name).Select(member => new AwsTag(member.RequiredText("Key"), member.Text("Value") ?? ""))];
}
