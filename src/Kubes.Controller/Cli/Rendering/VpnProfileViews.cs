using System.Text.Json;
using Kubes.Controller.Pki.Vpn;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Kubes.Controller.Cli.Rendering;

/// <summary><c>kubes vpn list</c>: one row per profile issued, as a table or as JSON.</summary>
public static class VpnProfileViews
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IRenderable Table(IReadOnlyList<VpnProfileRecord> profiles, DateTimeOffset now)
    {
        if (profiles.Count == 0) return new Text("No VPN profile was issued yet: 'kubes vpn profile NAME' makes one.\n");
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "NAME", "STATE", "SERIAL", "ISSUED", "VALID UNTIL", "REVOKED" }) table.AddColumn(column);
        foreach (var profile in profiles)
            table.AddRow(Markup.Escape(profile.Name), profile.StateAt(now).ToString().ToLowerInvariant(), profile.Serial,
                $"{profile.IssuedAt:u}", $"{profile.NotAfter:u}", profile.RevokedAt is { } revoked ? $"{revoked:u}" : "-");
        return table;
    }

    public static string Json(IReadOnlyList<VpnProfileRecord> profiles, DateTimeOffset now) =>
        JsonSerializer.Serialize(profiles.Select(p => new
        {
            p.Name,
            State = p.StateAt(now).ToString().ToLowerInvariant(),
            p.Serial,
            p.IssuedAt,
            p.NotBefore,
            p.NotAfter,
            p.RevokedAt,
        }), Options);
}
