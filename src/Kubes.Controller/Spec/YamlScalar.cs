using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Kubes.Controller.Spec;

/// <summary>Writes a string as a YAML scalar: plain when no YAML reader could take it for anything else, else double-quoted.</summary>
internal static partial class YamlScalar
{
    public static string Of(string value, bool inFlowList = false)
    {
        var plain = inFlowList ? PlainInFlow().IsMatch(value) : PlainInBlock().IsMatch(value);
        return plain && !LooksLikeAnotherType(value) ? value : Quoted(value);
    }

    public static string Of(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Of(bool value) => value ? "true" : "false";

    public static string FlowList(IEnumerable<string> items) => $"[{string.Join(", ", items.Select(i => Of(i, inFlowList: true)))}]";

    /// <summary>Numbers, booleans and nulls in YAML 1.1 or 1.2 spelling, which a reader would not keep as strings.</summary>
    private static bool LooksLikeAnotherType(string value) =>
        NumberLike().IsMatch(value)
        || value.ToLowerInvariant() is "true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n" or "null" or "~";

    private static string Quoted(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' or '\uFEFF' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }
        return text.Append('"').ToString();
    }

    [GeneratedRegex(@"^[A-Za-z0-9./_](?:[A-Za-z0-9./_-]|:(?=[A-Za-z0-9./_-]))*\z")]
    private static partial Regex PlainInBlock();

    [GeneratedRegex(@"^[A-Za-z0-9./_][A-Za-z0-9./_-]*\z")]
    private static partial Regex PlainInFlow();

    /// <summary>Integers, floats, hex, octal, infinities, YAML 1.1 base-60 numbers and dates.</summary>
    [GeneratedRegex(@"^(?:[-+]?[0-9_]+|[-+]?[0-9_]*\.[0-9_]*(?:e[-+]?[0-9]+)?|[-+]?0x[0-9a-f_]+|[-+]?0o[0-7_]+|[-+]?\.inf|\.nan|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)\z", RegexOptions.IgnoreCase)]
    private static partial Regex NumberLike();
}
