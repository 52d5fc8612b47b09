namespace Kubes.Agent.Services;

/// <summary>A command line of a unit (ExecStartPre=, ExecStart=); <see cref="IgnoreFailure"/> is systemd's leading <c>-</c>.</summary>
public sealed record SystemdCommand(IReadOnlyList<string> Words, bool IgnoreFailure = false)
{
    public string Render() => (IgnoreFailure ? "-" : "") + string.Join(' ', Words.Select(SystemdQuoting.Quote));

    /// <summary>Reads a command line; of systemd's prefixes (<c>-@+!:</c>) only <c>-</c> means something here.</summary>
    public static SystemdCommand Parse(string value)
    {
        var prefix = value.Length - value.TrimStart('-', '@', '+', '!', ':').Length;
        return new SystemdCommand(SystemdQuoting.Split(value[prefix..]), value[..prefix].Contains('-'));
    }
}
