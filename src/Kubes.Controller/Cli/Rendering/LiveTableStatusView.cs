using Kubes.Controller.Operations.Up;
using Kubes.Controller.Status;

namespace Kubes.Controller.Cli.Rendering;

/// <summary>
/// Progress at a terminal: the status, one line per slot (<see cref="StatusLines"/>), redrawn in place after every
/// poll (cursor up over the previous drawing, clear to the end of the screen, draw again), so the operator watches
/// one table settle. It keeps within the terminal's width and height: slots that do not fit are counted on a last
/// line, the slots that are not done yet shown first.
/// </summary>
public sealed class LiveTableStatusView(TextWriter output, int width, int height) : IAgentStatusView
{
    private const string Escape = "\u001b[";
    private int _linesDrawn;

    public async Task ShowAsync(IReadOnlyList<SlotStatus> rows, DateTimeOffset now)
    {
        var lines = Draw(rows, now);
        var erase = _linesDrawn == 0 ? "" : $"{Escape}{_linesDrawn}A\r{Escape}J";
        await output.WriteAsync(erase + string.Concat(lines.Select(line => line + "\n")));
        await output.FlushAsync();
        _linesDrawn = lines.Count;
    }

    /// <summary>Erases the last drawing: a line written now stays, and the next drawing comes below it.</summary>
    public void PrepareForLine()
    {
        if (_linesDrawn > 0) output.Write($"{Escape}{_linesDrawn}A\r{Escape}J");
        _linesDrawn = 0;
    }

    /// <summary>At most height - 1 lines (the cursor's line stays free), none wider than the terminal.</summary>
    public IReadOnlyList<string> Draw(IReadOnlyList<SlotStatus> rows, DateTimeOffset now)
    {
        var room = Math.Max(2, height - 1);
        if (rows.Count + 1 <= room) return StatusLines.Table(rows, now, width);
        // One line for the header, one for what is left out; the slots still in progress come first.
        var shown = rows.OrderBy(r => IsDone(r) ? 1 : 0).Take(Math.Max(0, room - 2)).ToList();
        var hidden = rows.Except(shown).ToList();
        var order = rows.Select((r, i) => (r, i)).ToDictionary(p => p.r, p => p.i);
        var lines = StatusLines.Table([.. shown.OrderBy(r => order[r])], now, width).ToList();
        lines.Add(StatusLines.Fit($"… {hidden.Count} more slot(s), {hidden.Count(IsDone)} of them done: 'kubes status' lists all", width));
        return lines;
    }

    private static bool IsDone(SlotStatus row) => row.IsReady || row.IsRoleNotInstallable;
}
