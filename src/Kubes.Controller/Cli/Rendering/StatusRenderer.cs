using System.Text.Json;
using Kubes.Controller.Status;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Kubes.Controller.Cli.Rendering;

/// <summary>
/// <c>kubes status</c> for people (one line per slot: <see cref="StatusLines"/>; every column and the full error:
/// <see cref="Table"/>, <c>-o wide</c>; one slot in full: <see cref="Detail"/>) or JSON for programs.
/// </summary>
public static class StatusRenderer
{
    /// <summary>Every column, the error in full (wrapped by the table): <c>kubes status -o wide</c>.</summary>
    public static Table Table(IReadOnlyList<SlotStatus> rows, DateTimeOffset now)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("Slot", "Instance", "Zone", "IP", "Role", "Phase", "Step", "Health", "Node (API)", "Last report", "Error");
        foreach (var row in rows)
        {
            table.AddRow(Cell(row.Slot), Cell(row.InstanceId ?? "-"), Cell(row.Zone), Cell(row.PrivateIp ?? "-"), Cell(row.Role),
                Cell(row.Phase), Cell(row.Step ?? "-"), Cell(row.Health), Cell(row.Node ?? "-"),
                Cell(row.LastReport is { } at ? Age(now - at) : "-"), Cell(row.Error ?? ""));
        }
        return table;
    }

    /// <summary>One slot, a field per line, nothing cut: <c>kubes status SLOT</c>.</summary>
    public static IReadOnlyList<string> Detail(SlotStatus row, DateTimeOffset now) =>
    [
        $"Slot:        {row.Slot}",
        $"Role:        {row.Role}",
        $"Instance:    {row.InstanceId ?? "-"}",
        $"Zone:        {row.Zone}",
        $"IP:          {row.PrivateIp ?? "-"}",
        $"Phase:       {row.Phase}",
        $"Step:        {row.Step ?? "-"}",
        $"Health:      {row.Health}",
        $"Node (API):  {row.Node ?? "-"}",
        $"Last report: {(row.LastReport is { } at ? $"{Age(now - at)} ({at:u})" : "-")}",
        $"Error:       {row.Error ?? "-"}",
    ];

    public static string Json(IReadOnlyList<SlotStatus> rows) => JsonSerializer.Serialize(rows, PlanView.Json);

    public static string Age(TimeSpan age) => age.TotalSeconds < 1 ? "now"
        : age.TotalMinutes < 1 ? $"{(int)age.TotalSeconds}s ago"
        : age.TotalHours < 1 ? $"{(int)age.TotalMinutes}m ago"
        : $"{(int)age.TotalHours}h ago";

    private static IRenderable Cell(string text) => new Text(text);
}
