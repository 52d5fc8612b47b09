using System.Text;

namespace Kubes.Agent.Services;

/// <summary>
/// A drop-in, <c>&lt;unit&gt;.service.d/&lt;name&gt;.conf</c>: settings applied after the unit's own. Lists (Environment=,
/// EnvironmentFile=, ExecStartPre=) are added to the unit's; ExecStart, when set, replaces it (a reset, then the new line).
/// </summary>
public sealed record SystemdDropIn
{
    /// <summary>The file name without <c>.conf</c>, ordered by systemd by name: <c>10-kubes</c>.</summary>
    public required string Name { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];
    public IReadOnlyList<string> EnvironmentFiles { get; init; } = [];
    public IReadOnlyList<SystemdCommand> ExecStartPre { get; init; } = [];
    public IReadOnlyList<string>? ExecStart { get; init; }

    public string FileName => Name + ".conf";

    public string Render()
    {
        var text = new StringBuilder(SystemdUnit.Header);
        text.Append("[Service]\n");
        UnitLines.AppendEnvironment(text, Environment, EnvironmentFiles);
        foreach (var command in ExecStartPre)
        {
            UnitLines.AppendCommand(text, "ExecStartPre", command);
        }

        if (ExecStart is not null)
        {
            text.Append("ExecStart=\n");
            UnitLines.AppendCommand(text, "ExecStart", new SystemdCommand(ExecStart));
        }

        return text.ToString();
    }
}
