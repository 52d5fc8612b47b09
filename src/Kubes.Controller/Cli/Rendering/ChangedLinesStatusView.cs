using Kubes.Controller.Operations.Up;
using Kubes.Controller.Status;

namespace Kubes.Controller.Cli.Rendering;

/// <summary>
/// Progress for logs and pipes: one line each time a slot's phase, step or error changes, nothing otherwise,
/// so a CI log reads as a history. An error of several lines is written on one.
/// </summary>
public sealed class ChangedLinesStatusView(TextWriter output) : IAgentStatusView
{
    private readonly Dictionary<string, string> _shown = [];

    public async Task ShowAsync(IReadOnlyList<SlotStatus> rows, DateTimeOffset now)
    {
        foreach (var row in rows)
        {
            var reason = StatusLines.Reason(row);
            var line = $"{row.Phase}{(row.Step is null ? "" : $" ({row.Step})")}{(reason.Length == 0 ? "" : $": {reason}")}";
            if (_shown.GetValueOrDefault(row.Slot) == line) continue;
            _shown[row.Slot] = line;
            await output.WriteLineAsync($"  {row.Slot,-14} {line}");
        }
    }
}
