using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kubes.Agent.ConfigFiles;

/// <summary>
/// Writes a JSON document as block YAML, the form Kubernetes components' config files take: keys in the document's
/// order, two-space indents, list items at their key's indent (as kubectl writes them). A string is written plain only
/// when no YAML reader could take it for anything else (a number, a boolean of YAML 1.1 such as <c>on</c>, null, a
/// structure); every other string is double-quoted with JSON's escapes, which YAML reads the same way.
/// </summary>
public static class YamlWriter
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "n", "yes", "no", "on", "off", "true", "false", "null",
    };

    public static string Write(JsonElement document)
    {
        if (document.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"a config file is an object at its top, not {document.ValueKind}");
        }

        var text = new StringBuilder();
        if (document.EnumerateObject().Any())
        {
            WriteObject(text, document, 0);
        }
        else
        {
            text.Append("{}\n");
        }

        return text.ToString();
    }

    /// <param name="firstKeyOnCurrentLine">The object is a list item: its first key goes on the dash's line.</param>
    private static void WriteObject(StringBuilder text, JsonElement value, int indent, bool firstKeyOnCurrentLine = false)
    {
        var first = true;
        foreach (var property in value.EnumerateObject())
        {
            if (!first || !firstKeyOnCurrentLine)
            {
                text.Append(' ', indent);
            }

            first = false;
            text.Append(Scalar(property.Name)).Append(':');
            if (IsNonEmptyObject(property.Value))
            {
                text.Append('\n');
                WriteObject(text, property.Value, indent + 2);
            }
            else if (IsNonEmptyArray(property.Value))
            {
                text.Append('\n');
                WriteArray(text, property.Value, indent);
            }
            else
            {
                text.Append(' ').Append(Scalar(property.Value)).Append('\n');
            }
        }
    }

    private static void WriteArray(StringBuilder text, JsonElement value, int indent)
    {
        foreach (var item in value.EnumerateArray())
        {
            text.Append(' ', indent).Append('-');
            if (IsNonEmptyObject(item))
            {
                text.Append(' ');
                WriteObject(text, item, indent + 2, firstKeyOnCurrentLine: true);
            }
            else if (IsNonEmptyArray(item))
            {
                text.Append('\n');
                WriteArray(text, item, indent + 2);
            }
            else
            {
                text.Append(' ').Append(Scalar(item)).Append('\n');
            }
        }
    }

    private static bool IsNonEmptyObject(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.EnumerateObject().Any();

    private static bool IsNonEmptyArray(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0;

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Scalar(value.GetString()!),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "{}",
        JsonValueKind.Array => "[]",
        _ => throw new ArgumentException($"no YAML for a {value.ValueKind}"),
    };

    public static string Scalar(string value) => IsPlainSafe(value) ? value : Quoted(value);

    /// <summary>
    /// Letters, digits and <c>_ . / -</c>, starting with a letter, '_' or '/', and not one of YAML's reserved words:
    /// such a string is a string to every YAML reader (a leading digit, sign or dot could be a number; ':' '#' '-'
    /// and quotes have meanings of their own).
    /// </summary>
    private static bool IsPlainSafe(string value) =>
        value.Length > 0
        && (char.IsAsciiLetter(value[0]) || value[0] is '_' or '/')
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or '-')
        && !Reserved.Contains(value);

    private static string Quoted(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\t': text.Append("\\t"); break;
                case '\r': text.Append("\\r"); break;
                default:
                    if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\ufeff')
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }
}
