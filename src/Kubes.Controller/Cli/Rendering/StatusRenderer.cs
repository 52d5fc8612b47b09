using System.Text.Json;
using Kubes.Controller.Status;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Kubes.Controller.Cli.Rendering;

/// <summary><c>kubes status</c> as a table for people or JSON for programs.</summary>
public static class StatusRenderer
{
    public static Table Table(IReadOnlyList<SlotStatus> rows, DateTimeOffset now)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("Slot", "Instance", "Zone", "IP", "Role", "Phase", "Step", "Health", "Last report", "Error");
        foreach (var row in rows)
        {
            table.AddRow(Cell(row.Slot), Cell(row.InstanceId ?? "-"), Cell(row.Zone), Cell(row.PrivateIp ?? "-"), Cell(row.Role),
                Cell(row.Phase), Cell(row.Step ?? "-"), Cell(row.Health),
                Cell(row.LastReport is { } at ? Age(now - at) : "-"), Cell(row.Error ?? ""));
        }
        return table;
    }

    public static string Json(IReadOnlyList<SlotStatus> rows) => JsonSerializer.Serialize(rows, PlanView.Json);

    public static string Age(TimeSpan age) => age.TotalSeconds < 1 ? "now"
        : age.TotalMinutes < 1 ? $"{(int)age.TotalSeconds}s ago"
        : age.TotalHours < 1 ? $"{(int)age.TotalMinutes}m ago"
        : $"{(int)age.TotalHours}h ago";

    private static IRenderable Cell(string text) => new Text(text);
}
