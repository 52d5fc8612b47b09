using System.Text;
using Kubes.Controller.Status;

namespace Kubes.Controller.Cli.Rendering;

/// <summary>
/// The status as one line per slot that fits a terminal: slot, phase, step, health, age and a short reason, each
/// column as wide as its longest value (capped), the reason taking what is left and cut with "…". No line is longer
/// than the width. The full error is in <c>kubes status SLOT</c> and <c>kubes status -o wide</c>. The health column
/// holds a short summary, so that per-component health ("apiserver ✓ cm ✓ sched ✗") fits there too.
/// </summary>
public static class StatusLines
{
    private const string Gap = "  ";
    private const int MinReason = 24;

    private static readonly (string Header, int Cap)[] Columns =
    [
        ("SLOT", 24), ("PHASE", 18), ("STEP", 24), ("HEALTH", 28), ("AGE", 8),
    ];

    /// <summary>The width to fit: a terminal's; written anywhere else (a file, a pipe, a log), lines are not cut.</summary>
    public static int WidthFor(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected ? Math.Max(Console.WindowWidth, 40) : int.MaxValue;

    /// <summary>Writes <see cref="Table"/> at the width <paramref name="output"/> has.</summary>
    public static async Task WriteAsync(TextWriter output, IReadOnlyList<SlotStatus> rows, DateTimeOffset now)
    {
        foreach (var line in Table(rows, now, WidthFor(output))) await output.WriteLineAsync(line);
    }

    /// <summary>A header line, then one line per slot.</summary>
    public static IReadOnlyList<string> Table(IReadOnlyList<SlotStatus> rows, DateTimeOffset now, int width)
    {
        var cells = rows.Select(row => new[]
        {
            row.Slot, row.Phase, row.Step ?? "-", HealthSummary(row), row.LastReport is { } at ? StatusRenderer.Age(now - at) : "-",
        }).ToList();
        var widths = Columns.Select((column, i) =>
            Math.Min(column.Cap, cells.Select(c => c[i].Length).Append(column.Header.Length).Max())).ToArray();
        // Narrow terminals: the step and health columns give way before the reason shrinks below its minimum.
        foreach (var shrinking in new[] { 2, 3 })
        {
            var over = widths.Sum() + Gap.Length * Columns.Length + MinReason - width;
            if (over > 0) widths[shrinking] = Math.Max(Columns[shrinking].Header.Length, widths[shrinking] - over);
        }
        var lines = new List<string> { Line([.. Columns.Select(c => c.Header)], "REASON", widths, width) };
        lines.AddRange(rows.Select((row, i) => Line(cells[i], Reason(row), widths, width)));
        return lines;
    }

    /// <summary>The health as a few characters: the detail, if any, goes to the reason.</summary>
    public static string HealthSummary(SlotStatus row) => row.Health switch
    {
        "-" => "-",
        "healthy" => "healthy",
        _ => "unhealthy",
    };

    /// <summary>
    /// Why the slot is not fine, as one line: its error, else its health's detail, else what the API says of a node that
    /// is not Ready there, else nothing.
    /// </summary>
    public static string Reason(SlotStatus row)
    {
        var text = row.Error ?? (row.Health.StartsWith("unhealthy: ", StringComparison.Ordinal) ? row.Health["unhealthy: ".Length..]
            : row.Node is { } node && node != "Ready" ? $"API: {node}" : "");
        return string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>Cuts <paramref name="text"/> to <paramref name="width"/> characters, ending in "…" when it cut.</summary>
    public static string Fit(string text, int width) =>
        width <= 0 ? "" : text.Length <= width ? text : text[..(width - 1)] + "…";

    private static string Line(string[] cells, string reason, int[] widths, int width)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++) line.Append(Fit(cells[i], widths[i]).PadRight(widths[i])).Append(Gap);
        line.Append(Fit(reason, width - line.Length));
        return Fit(line.ToString().TrimEnd(), width);
    }
}
