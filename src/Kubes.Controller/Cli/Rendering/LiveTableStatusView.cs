using Kubes.Controller.Operations.Up;
using Kubes.Controller.Status;

namespace Kubes.Controller.Cli.Rendering;

/// <summary>
/// Progress at a terminal: the <c>kubes status</c> table, redrawn in place after every poll (cursor up over the
/// previous drawing, clear to the end of the screen, draw again), so the operator watches one table settle.
/// </summary>
public sealed class LiveTableStatusView(TextWriter output, int width) : IAgentStatusView
{
    private const string Escape = "\u001b[";
    private int _linesDrawn;

    public async Task ShowAsync(IReadOnlyList<SlotStatus> rows, DateTimeOffset now)
    {
        var drawing = Draw(rows, now);
        var erase = _linesDrawn == 0 ? "" : $"{Escape}{_linesDrawn}A\r{Escape}J";
        await output.WriteAsync(erase + drawing);
        await output.FlushAsync();
        _linesDrawn = drawing.Count(c => c == '\n');
    }

    /// <summary>Erases the last drawing: a line written now stays, and the next drawing comes below it.</summary>
    public void PrepareForLine()
    {
        if (_linesDrawn > 0) output.Write($"{Escape}{_linesDrawn}A\r{Escape}J");
        _linesDrawn = 0;
    }

    private string Draw(IReadOnlyList<SlotStatus> rows, DateTimeOffset now)
    {
        using var text = new StringWriter { NewLine = "\n" };
        var console = Commands.PlanCommand.ConsoleFor(text);
        console.Profile.Width = width;
        console.Write(StatusRenderer.Table(rows, now));
        var drawing = text.ToString().Replace("\r\n", "\n");
        return drawing.EndsWith('\n') ? drawing : drawing + "\n";
    }
}
