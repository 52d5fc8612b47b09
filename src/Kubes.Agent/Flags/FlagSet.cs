using System.Globalization;

namespace Kubes.Agent.Flags;

/// <summary>
/// A component's command line as data: each flag's name (without dashes), its value already in the words the program
/// reads, and the Kubernetes minors it exists in. A component's flags record builds one (every flag in one place);
/// <see cref="FlagRenderer"/> turns it into the command line. Unset values (null, an empty list or map) add no flag.
/// </summary>
public sealed class FlagSet
{
    private readonly List<FlagEntry> _entries = [];

    public IReadOnlyList<FlagEntry> Entries => _entries;

    public FlagSet Add(string name, string? value, FlagGate? gate = null) =>
        value is null ? this : Put(name, value, gate);

    /// <summary>Booleans are explicit (<c>--client-cert-auth=true</c>): the command line says what is meant, default or not.</summary>
    public FlagSet Add(string name, bool? value, FlagGate? gate = null) =>
        value is not { } set ? this : Put(name, set ? "true" : "false", gate);

    public FlagSet Add(string name, long? value, FlagGate? gate = null) =>
        value is not { } set ? this : Put(name, set.ToString(CultureInfo.InvariantCulture), gate);

    /// <summary>A list flag: the items joined with commas, in the order given.</summary>
    public FlagSet Add(string name, IReadOnlyCollection<string>? values, FlagGate? gate = null)
    {
        if (values is null || values.Count == 0)
        {
            return this;
        }

        if (values.FirstOrDefault(v => v.Contains(',')) is { } comma)
        {
            throw new ArgumentException($"--{name}: the list item '{comma}' holds a comma, which would split it in two");
        }

        return Put(name, string.Join(',', values), gate);
    }

    /// <summary>A map flag (<c>--feature-gates</c>, <c>--node-labels</c>): <c>key=value</c> pairs sorted by key, joined with commas.</summary>
    public FlagSet Add(string name, IReadOnlyDictionary<string, string>? pairs, FlagGate? gate = null) =>
        pairs is null || pairs.Count == 0
            ? this
            : Add(name, pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}").ToList(), gate);

    private FlagSet Put(string name, string value, FlagGate? gate)
    {
        if (!FlagRenderer.IsFlagName(name))
        {
            throw new ArgumentException($"'{name}' is not a flag name (letters, digits, '-', '_' and '.', no leading dash)");
        }

        if (_entries.Any(e => e.Name == name))
        {
            throw new ArgumentException($"--{name} is set twice: a flag is set in exactly one place");
        }

        _entries.Add(new FlagEntry(name, value, gate));
        return this;
    }
}

/// <param name="Gate">The minors the flag exists in; null for every minor.</param>
public sealed record FlagEntry(string Name, string Value, FlagGate? Gate);
