using System.Globalization;
using System.Text;

namespace Kubes.Agent.Services;

/// <summary>
/// A systemd service unit: rendered to the unit folder on every host, run by systemd where it is PID 1,
/// and run from the very same file by <see cref="ProcessServiceManager"/> where it is not.
/// </summary>
public sealed record SystemdUnit
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required IReadOnlyList<string> ExecStart { get; init; }
    /// <summary><c>simple</c> or <c>notify</c> (the service tells systemd when it is ready).</summary>
    public string Type { get; init; } = "simple";
    /// <summary><c>always</c>, <c>on-failure</c> or <c>no</c>.</summary>
    public string Restart { get; init; } = "always";
    public TimeSpan RestartSec { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan TimeoutStopSec { get; init; } = TimeSpan.FromSeconds(30);
    public int? LimitNoFile { get; init; }
    public IReadOnlyList<string> After { get; init; } = ["network-online.target"];
    public IReadOnlyList<string> Wants { get; init; } = ["network-online.target"];
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    public string FileName => Name + ".service";

    public string Render()
    {
        var text = new StringBuilder();
        text.Append("# Written by kubes-agent; changes are overwritten.\n");
        text.Append("[Unit]\n");
        text.Append("Description=").Append(Description).Append('\n');
        if (Wants.Count > 0)
        {
            text.Append("Wants=").Append(string.Join(' ', Wants)).Append('\n');
        }

        if (After.Count > 0)
        {
            text.Append("After=").Append(string.Join(' ', After)).Append('\n');
        }

        text.Append("\n[Service]\n");
        text.Append("Type=").Append(Type).Append('\n');
        foreach (var (key, value) in Environment)
        {
            text.Append("Environment=").Append(SystemdQuoting.Quote($"{key}={value}")).Append('\n');
        }

        text.Append("ExecStart=").Append(SystemdQuoting.Quote(ExecStart[0]));
        foreach (var argument in ExecStart.Skip(1))
        {
            text.Append(" \\\n  ").Append(SystemdQuoting.Quote(argument));
        }

        text.Append('\n');
        text.Append("Restart=").Append(Restart).Append('\n');
        text.Append("RestartSec=").Append(Seconds(RestartSec)).Append('\n');
        text.Append("TimeoutStopSec=").Append(Seconds(TimeoutStopSec)).Append('\n');
        if (LimitNoFile is { } limit)
        {
            text.Append("LimitNOFILE=").Append(limit.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append("\n[Install]\nWantedBy=multi-user.target\n");
        return text.ToString();
    }

    /// <summary>Reads back the parts of a unit file a process supervisor needs.</summary>
    public static SystemdUnit Parse(string name, string text)
    {
        var description = "";
        var type = "simple";
        var restart = "no";
        var restartSec = TimeSpan.FromMilliseconds(100);
        var timeoutStopSec = TimeSpan.FromSeconds(90);
        IReadOnlyList<string>? execStart = null;
        var environment = new List<KeyValuePair<string, string>>();
        var section = "";
        foreach (var line in LogicalLines(text))
        {
            if (line.StartsWith('['))
            {
                section = line.Trim('[', ']', ' ');
                continue;
            }

            var equals = line.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            var key = line[..equals].Trim();
            var value = line[(equals + 1)..].Trim();
            switch (section, key)
            {
                case ("Unit", "Description"): description = value; break;
                case ("Service", "Type"): type = value; break;
                case ("Service", "Restart"): restart = value; break;
                case ("Service", "RestartSec"): restartSec = ParseSeconds(value); break;
                case ("Service", "TimeoutStopSec"): timeoutStopSec = ParseSeconds(value); break;
                case ("Service", "ExecStart"): execStart = SystemdQuoting.Split(value.TrimStart('-', '@', '+', '!')); break;
                case ("Service", "Environment"):
                    foreach (var assignment in SystemdQuoting.Split(value))
                    {
                        var eq = assignment.IndexOf('=');
                        if (eq > 0)
                        {
                            environment.Add(new(assignment[..eq], assignment[(eq + 1)..]));
                        }
                    }

                    break;
            }
        }

        if (execStart is null || execStart.Count == 0)
        {
            throw new FormatException($"the unit {name}.service has no ExecStart");
        }

        return new SystemdUnit
        {
            Name = name,
            Description = description,
            ExecStart = execStart,
            Type = type,
            Restart = restart,
            RestartSec = restartSec,
            TimeoutStopSec = timeoutStopSec,
            Environment = environment,
        };
    }

    /// <summary>Physical lines joined where one ends in a backslash; comments dropped.</summary>
    private static IEnumerable<string> LogicalLines(string text)
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

    private static string Seconds(TimeSpan span) =>
        span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static TimeSpan ParseSeconds(string value)
    {
        var number = value.EndsWith("ms") ? value[..^2] : value.TrimEnd('s');
        var amount = double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture);
        return value.EndsWith("ms") ? TimeSpan.FromMilliseconds(amount) : TimeSpan.FromSeconds(amount);
    }
}
