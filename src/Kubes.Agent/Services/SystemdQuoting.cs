using System.Text;

namespace Kubes.Agent.Services;

/// <summary>
/// Command-line words in unit files: systemd splits on whitespace, honours double and single quotes and
/// C-style backslash escapes, and expands <c>%</c> specifiers and <c>$</c> variables, which are doubled here
/// so every word reaches the program exactly as written.
/// </summary>
public static class SystemdQuoting
{
    public static string Quote(string word)
    {
        if (word.Any(c => c is '\n' or '\r' or '\0'))
        {
            throw new ArgumentException($"a unit file word cannot hold a line break or NUL: '{word.ReplaceLineEndings("\\n")}'");
        }

        var escaped = word.Replace("%", "%%").Replace("$", "$$");
        var plain = word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,@+%$".Contains(c));
        if (plain)
        {
            return escaped;
        }

        return "\"" + escaped.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
    }

    public static IReadOnlyList<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote == '\0' && char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            if (quote == '\0' && c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == quote)
            {
                quote = '\0';
            }
            else if (c == '\\' && i + 1 < line.Length)
            {
                var next = line[++i];
                word.Append(next switch { 'n' => '\n', 't' => '\t', _ => next });
            }
            else if (c is '%' or '$' && i + 1 < line.Length && line[i + 1] == c)
            {
                word.Append(c);
                i++;
            }
            else
            {
                word.Append(c);
            }
        }

        if (quote != '\0')
        {
            throw new FormatException($"unbalanced {quote} in unit line: {line}");
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
