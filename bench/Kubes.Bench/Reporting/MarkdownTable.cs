using System.Text;

namespace Kubes.Bench.Reporting;

/// <summary>A GitHub-flavoured markdown table, columns padded so it also reads well in a terminal.</summary>
public sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    /// <summary>Columns after the first are right-aligned: they hold numbers.</summary>
    public MarkdownTable Add(params object[] cells)
    {
        if (cells.Length != headers.Length)
            throw new ArgumentException($"a row of {cells.Length} cells in a table of {headers.Length} columns");
        _rows.Add([.. cells.Select(c => Convert.ToString(c, System.Globalization.CultureInfo.InvariantCulture) ?? "")]);
        return this;
    }

    public override string ToString()
    {
        var widths = headers.Select((h, i) => Math.Max(3, _rows.Select(r => r[i].Length).Prepend(h.Length).Max())).ToArray();
        var text = new StringBuilder();
        Line(text, headers, widths);
        text.Append('|');
        for (var i = 0; i < widths.Length; i++)
            text.Append(i == 0 ? $" {new string('-', widths[i])} |" : $" {new string('-', widths[i] - 1)}: |");
        text.Append('\n');
        foreach (var row in _rows) Line(text, row, widths);
        return text.ToString();
    }

    private static void Line(StringBuilder text, string[] cells, int[] widths)
    {
        text.Append('|');
        for (var i = 0; i < cells.Length; i++)
            text.Append(' ').Append(i == 0 ? cells[i].PadRight(widths[i]) : cells[i].PadLeft(widths[i])).Append(" |");
        text.Append('\n');
    }
}
