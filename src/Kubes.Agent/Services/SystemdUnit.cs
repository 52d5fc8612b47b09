using System.Globalization;
using System.Text;

namespace Kubes.Agent.Services;

/// <summary>
/// A systemd service unit and its drop-ins: rendered to the unit folder on every host, run by systemd where it is PID 1,
/// and run from the very same files by <see cref="ProcessServiceManager"/> where it is not.
/// </summary>
public sealed record SystemdUnit
{
    public const string Header = "# Written by kubes-agent; changes are overwritten.\n";

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
    /// <summary>Hands the service its own cgroup subtree (containerd, kubelet manage cgroups of their own).</summary>
    public bool Delegate { get; init; }
    /// <summary>
    /// Which processes a stop signals: <c>control-group</c> (systemd's default when null), <c>mixed</c>, <c>process</c>
    /// (containerd: its shims, and the containers under them, outlive a restart) or <c>none</c>.
    /// </summary>
    public string? KillMode { get; init; }
    public IReadOnlyList<string> After { get; init; } = ["network-online.target"];
    public IReadOnlyList<string> Wants { get; init; } = ["network-online.target"];
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];
    /// <summary>Files of <c>KEY=value</c> lines read at every start; a leading <c>-</c> makes a missing file no error.</summary>
    public IReadOnlyList<string> EnvironmentFiles { get; init; } = [];
    /// <summary>Commands run, in order, before every start (<c>modprobe overlay</c>, a folder to create).</summary>
    public IReadOnlyList<SystemdCommand> ExecStartPre { get; init; } = [];
    /// <summary>Written beside the unit, in <c>&lt;name&gt;.service.d/</c>, applied after it in the order of their names.</summary>
    public IReadOnlyList<SystemdDropIn> DropIns { get; init; } = [];

    public string FileName => Name + ".service";

    public string DropInFolder => FileName + ".d";

    public string Render()
    {
        var text = new StringBuilder(Header);
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
        if (Delegate)
        {
            text.Append("Delegate=yes\n");
        }

        if (KillMode is not null)
        {
            text.Append("KillMode=").Append(KillMode).Append('\n');
        }

        UnitLines.AppendEnvironment(text, Environment, EnvironmentFiles);
        foreach (var command in ExecStartPre)
        {
            UnitLines.AppendCommand(text, "ExecStartPre", command);
        }

        text.Append("ExecStart=").Append(SystemdQuoting.Quote(ExecStart[0]));
        foreach (var argument in ExecStart.Skip(1))
        {
            text.Append(" \\\n  ").Append(SystemdQuoting.Quote(argument));
        }

        text.Append('\n');
        text.Append("Restart=").Append(Restart).Append('\n');
        text.Append("RestartSec=").Append(UnitLines.Seconds(RestartSec)).Append('\n');
        text.Append("TimeoutStopSec=").Append(UnitLines.Seconds(TimeoutStopSec)).Append('\n');
        if (LimitNoFile is { } limit)
        {
            text.Append("LimitNOFILE=").Append(limit.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append("\n[Install]\nWantedBy=multi-user.target\n");
        return text.ToString();
    }

    /// <summary>
    /// The service a unit file and its drop-ins describe, read the way systemd reads them: the files in order, a list
    /// setting (Environment=, EnvironmentFile=, ExecStartPre=) adds to what came before and an empty assignment clears
    /// it, any other setting replaces. The result carries the effective settings and no drop-ins.
    /// </summary>
    public static SystemdUnit Parse(string name, string text, IEnumerable<string>? dropIns = null)
    {
        var description = "";
        var type = "simple";
        var restart = "no";
        var restartSec = TimeSpan.FromMilliseconds(100);
        var timeoutStopSec = TimeSpan.FromSeconds(90);
        int? limitNoFile = null;
        var @delegate = false;
        string? killMode = null;
        IReadOnlyList<string>? execStart = null;
        var environment = new List<KeyValuePair<string, string>>();
        var environmentFiles = new List<string>();
        var execStartPre = new List<SystemdCommand>();
        foreach (var file in (IEnumerable<string>)[text, .. dropIns ?? []])
        {
            var section = "";
            foreach (var line in UnitLines.Logical(file))
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
                    case ("Service", "RestartSec"): restartSec = UnitLines.ParseSeconds(value); break;
                    case ("Service", "TimeoutStopSec"): timeoutStopSec = UnitLines.ParseSeconds(value); break;
                    // "infinity" or a soft:hard pair (an operator's drop-in) is not a number the supervisor could apply anyway.
                    case ("Service", "LimitNOFILE"):
                        limitNoFile = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? limit : null;
                        break;
                    case ("Service", "Delegate"): @delegate = value is "yes" or "true" or "on" or "1"; break;
                    case ("Service", "KillMode"): killMode = value.Length == 0 ? null : value; break;
                    case ("Service", "ExecStart"):
                        execStart = value.Length == 0 ? null : SystemdCommand.Parse(value).Words;
                        break;
                    case ("Service", "ExecStartPre"):
                        if (value.Length == 0) execStartPre.Clear();
                        else execStartPre.Add(SystemdCommand.Parse(value));
                        break;
                    case ("Service", "EnvironmentFile"):
                        if (value.Length == 0) environmentFiles.Clear();
                        else environmentFiles.Add(value);
                        break;
                    case ("Service", "Environment"):
                        if (value.Length == 0) environment.Clear();
                        foreach (var assignment in SystemdQuoting.Split(value))
                        {
                            var eq = assignment.IndexOf('=');
                            if (eq > 0)
                            {
                                environment.RemoveAll(pair => pair.Key == assignment[..eq]);
                                environment.Add(new(assignment[..eq], assignment[(eq + 1)..]));
                            }
                        }

                        break;
                }
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
            LimitNoFile = limitNoFile,
            Delegate = @delegate,
            KillMode = killMode,
            Environment = environment,
            EnvironmentFiles = environmentFiles,
            ExecStartPre = execStartPre,
        };
    }
}
