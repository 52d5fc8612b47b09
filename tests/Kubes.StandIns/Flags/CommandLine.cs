using System.Globalization;
using System.Text.RegularExpressions;

namespace Kubes.StandIns.Flags;

/// <summary>
/// A component's command line read as pflag reads it: <c>--name=value</c>, <c>--name value</c>, a boolean as
/// <c>--name</c> or <c>--name=false</c>, the shorthands <c>-h</c> and <c>-v</c>. A flag the component's list lacks, a
/// value of the wrong type, or an argument that is not a flag is refused, as the real component refuses it.
/// </summary>
public sealed partial class CommandLine
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    private CommandLine(FlagTable table) => Table = table;

    public FlagTable Table { get; }

    /// <summary>The deprecated flags that were given, for the warning the real component prints.</summary>
    public List<string> DeprecatedGiven { get; } = [];

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The last value given, or null.</summary>
    public string? Value(string name) => _values.TryGetValue(name, out var values) ? values[^1] : null;

    /// <summary>A list flag's items: every occurrence, split at commas.</summary>
    public IReadOnlyList<string> Items(string name) =>
        _values.TryGetValue(name, out var values)
            ? values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList()
            : [];

    public bool IsTrue(string name, bool byDefault) => Value(name) is { } value ? ParseBool(value)!.Value : byDefault;

    public int Int(string name, int byDefault) => Value(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : byDefault;

    public IEnumerable<string> Given => _values.Keys;

    public static CommandLine Parse(FlagTable table, IReadOnlyList<string> args)
    {
        var line = new CommandLine(table);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--" || !arg.StartsWith('-') || arg == "-")
            {
                var rest = arg == "--" ? args.Skip(i + 1) : args.Skip(i);
                throw new StandInException(
                    $"\"{table.Component}\" does not take any arguments, got [{string.Join(' ', rest.Select(a => $"\"{a}\""))}]");
            }

            string name;
            string? value = null;
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var text = arg[2..];
                var equals = text.IndexOf('=');
                name = equals < 0 ? text : text[..equals];
                if (equals >= 0) value = text[(equals + 1)..];
            }
            else
            {
                name = FlagTable.LongNameOf(arg[1]) ?? throw new StandInException(
                    $"unknown shorthand flag: '{arg[1]}' in {arg} ({table.Source} has only -h and -v)");
                var rest = arg[2..];
                if (rest.Length > 0) value = rest.StartsWith('=') ? rest[1..] : rest;
            }

            var flag = table.Find(name) ?? throw new StandInException(
                $"unknown flag: --{name} ({table.Source} has no such flag; Kubes stand-in)");
            if (value is null)
            {
                if (flag.TakesNoValue) value = "true";
                else if (i + 1 < args.Count) value = args[++i];
                else throw new StandInException($"flag needs an argument: --{name}");
            }

            Check(flag, value);
            if (flag.Deprecated) line.DeprecatedGiven.Add(name);
            if (!line._values.TryGetValue(name, out var values)) line._values[name] = values = [];
            if (!flag.IsList) values.Clear();
            values.Add(value);
        }

        return line;
    }

    private static void Check(FlagDefinition flag, string value)
    {
        var valid = flag.Type switch
        {
            "bool" => ParseBool(value) is not null,
            "int" => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            "int32" => int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            "float" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            "duration" => GoDuration().IsMatch(value),
            _ => true,
        };
        if (!valid)
            throw new StandInException($"invalid argument \"{value}\" for \"--{flag.Name}\" flag: not a {flag.Type}");
    }

    /// <summary>Go's strconv.ParseBool.</summary>
    public static bool? ParseBool(string value) => value switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => null,
    };

    /// <summary>Go's time.ParseDuration syntax: "0", or signed decimal numbers each with a unit.</summary>
    [GeneratedRegex(@"^([-+]?0|[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$")]
    private static partial Regex GoDuration();
}
