using System.Globalization;
using System.Text;

namespace Kubes.Controller.Aws.Query;

/// <summary>
/// The parameters of one Query-protocol request, in order, flattened the way the protocol wants them:
/// lists as <c>Name.member.N</c> (N from 1), structures in lists as <c>Name.member.N.Field</c>.
/// </summary>
public sealed class QueryParameters
{
    private readonly List<KeyValuePair<string, string>> entries = [];

    public IReadOnlyList<KeyValuePair<string, string>> Entries => entries;

    public QueryParameters Add(string name, string value)
    {
        entries.Add(new(name, value));
        return this;
    }

    public QueryParameters Add(string name, int value) => Add(name, value.ToString(CultureInfo.InvariantCulture));

    public QueryParameters Add(string name, bool value) => Add(name, value ? "true" : "false");

    public QueryParameters AddOptional(string name, string? value) => value is null ? this : Add(name, value);

    public QueryParameters AddOptional(string name, int? value) => value is { } number ? Add(name, number) : this;

    public QueryParameters AddOptional(string name, bool? value) => value is { } flag ? Add(name, flag) : this;

    public QueryParameters AddList(string name, IEnumerable<string> values)
    {
        var index = 0;
        foreach (var value in values) Add($"{name}.member.{++index}", value);
        return this;
    }

    /// <summary>Structures in a list: <paramref name="describe"/> adds each item's fields by their bare names.</summary>
    public QueryParameters AddMembers<T>(string name, IEnumerable<T> items, Action<QueryParameters, T> describe)
    {
        var index = 0;
        foreach (var item in items)
        {
            var fields = new QueryParameters();
            describe(fields, item);
            index++;
            foreach (var (field, value) in fields.entries) Add($"{name}.member.{index}.{field}", value);
        }
        return this;
    }

    public QueryParameters AddTags(string name, IEnumerable<AwsTag> tags) =>
        AddMembers(name, tags, (fields, tag) => fields.Add("Key", tag.Key).Add("Value", tag.Value));

    public QueryParameters Copy()
    {
        var copy = new QueryParameters();
        copy.entries.AddRange(entries);
        return copy;
    }

    /// <summary>The form body: <c>Action</c> and <c>Version</c> first, every name and value percent-encoded per RFC 3986.</summary>
    public string ToFormBody(string action, string version)
    {
        var body = new StringBuilder("Action=").Append(Encode(action)).Append("&Version=").Append(Encode(version));
        foreach (var (name, value) in entries) body.Append('&').Append(Encode(name)).Append('=').Append(Encode(value));
        return body.ToString();
    }

    // Uri.EscapeDataString leaves exactly RFC 3986's unreserved characters alone (A-Z a-z 0-9 - . _ ~), as SigV4 requires.
    private static string Encode(string text) => Uri.EscapeDataString(text);
}
