using System.Text;

namespace Kubes.Agent.Services;

/// <summary>
/// The variables a unit gives its service, read at every start as systemd does: Environment= first, then each
/// EnvironmentFile= in order (a file's value wins over Environment=). A file is <c>KEY=value</c> lines; blank lines and
/// lines starting with <c>#</c> or <c>;</c> are skipped; a value may be in single or double quotes.
/// </summary>
public static class ServiceEnvironment
{
    public static IReadOnlyDictionary<string, string> Of(SystemdUnit unit)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in unit.Environment)
        {
            variables[key] = value;
        }

        foreach (var entry in unit.EnvironmentFiles)
        {
            var optional = entry.StartsWith('-');
            var path = optional ? entry[1..] : entry;
            if (!File.Exists(path))
            {
                if (optional)
                {
                    continue;
                }

                throw new InvalidOperationException(
                    $"the unit {unit.FileName} reads its environment from {path}, which does not exist " +
                    "(prefix the path with '-' in EnvironmentFile= if it is optional)");
            }

            foreach (var (key, value) in ParseFile(File.ReadAllText(path)))
            {
                variables[key] = value;
            }
        }

        return variables;
    }

    public static IEnumerable<KeyValuePair<string, string>> ParseFile(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            var equals = line.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            yield return new(line[..equals].Trim(), Unquote(line[(equals + 1)..].Trim()));
        }
    }

    private static string Unquote(string value)
    {
        if (value.Length < 2 || value[0] != value[^1] || value[0] is not ('"' or '\''))
        {
            return value;
        }

        var inner = value[1..^1];
        if (value[0] == '\'')
        {
            return inner;
        }

        var text = new StringBuilder();
        for (var i = 0; i < inner.Length; i++)
        {
            text.Append(inner[i] == '\\' && i + 1 < inner.Length ? inner[++i] : inner[i]);
        }

        return text.ToString();
    }
}
