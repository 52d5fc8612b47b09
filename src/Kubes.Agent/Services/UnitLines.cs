using System.Globalization;
using System.Text;

namespace Kubes.Agent.Services;

/// <summary>How unit files and drop-ins write and read their lines: one spelling for both.</summary>
internal static class UnitLines
{
    public static void AppendEnvironment(StringBuilder text, IEnumerable<KeyValuePair<string, string>> environment,
        IEnumerable<string> environmentFiles)
    {
        foreach (var (key, value) in environment)
        {
            text.Append("Environment=").Append(SystemdQuoting.Quote($"{key}={value}")).Append('\n');
        }

        foreach (var file in environmentFiles)
        {
            text.Append("EnvironmentFile=").Append(file).Append('\n');
        }
    }

    public static void AppendCommand(StringBuilder text, string key, SystemdCommand command) =>
        text.Append(key).Append('=').Append(command.Render()).Append('\n');

    public static string Seconds(TimeSpan span) =>
        span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    public static TimeSpan ParseSeconds(string value)
    {
        var number = value.EndsWith("ms") ? value[..^2] : value.TrimEnd('s');
        var amount = double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture);
        return value.EndsWith("ms") ? TimeSpan.FromMilliseconds(amount) : TimeSpan.FromSeconds(amount);
    }

    /// <summary>Physical lines joined where one ends in a backslash; comments dropped.</summary>
    public static IEnumerable<string> Logical(string text)
    {
        var pending = new StringBuilder();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (pending.Length == 0 && (line.TrimStart().StartsWith('#') || line.TrimStart().StartsWith(';')))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending.Append(line[..^1]).Append(' ');
                continue;
            }

            pending.Append(line);
            yield return pending.ToString().Trim();
            pending.Clear();
        }

        if (pending.Length > 0)
        {
            yield return pending.ToString().Trim();
        }
    }
}
