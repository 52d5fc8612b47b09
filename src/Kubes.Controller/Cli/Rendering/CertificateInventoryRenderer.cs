using System.Globalization;
using System.Text.Json;
using Kubes.Controller.Operations.Certs;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Kubes.Controller.Cli.Rendering;

/// <summary><c>kubes certs</c> as tables for people (the CAs, then the certificates) or JSON for programs.</summary>
public static class CertificateInventoryRenderer
{
    public static void Render(CertificateInventory inventory, IAnsiConsole console)
    {
        var authorities = new Table().Border(TableBorder.Simple).Title("Certificate authorities")
            .AddColumns("CA", "Subject", "Not after", "Days left", "Flag");
        foreach (var ca in inventory.Authorities)
        {
            var left = ca.NotAfter - inventory.At;
            authorities.AddRow(Cell(ca.Name), Cell(ca.Subject), Cell(Time(ca.NotAfter)), Cell(DaysLeft(left)), Cell(FlagText(ca.Flag)));
        }
        console.Write(authorities);

        var superseded = inventory.Certificates.Where(c => c.Flag != ExpiryFlag.Superseded).Sum(c => c.Superseded);
        var shown = inventory.Certificates.Any(c => c.Flag == ExpiryFlag.Superseded);
        var certificates = new Table().Border(TableBorder.Simple)
            .Title(shown ? "Certificates issued, superseded ones too"
                : superseded == 0 ? "Certificates issued"
                : $"Certificates issued, the newest per instance and identity ({superseded} superseded not shown: --all)")
            .AddColumns("Instance", "Identity", "Subject", "Issuer", "Not after", "Days left", "Flag");
        foreach (var (certificate, flag, _) in inventory.Certificates)
        {
            certificates.AddRow(Cell(certificate.Holder), Cell(certificate.Identity), Cell(certificate.Subject), Cell(certificate.Issuer),
                Cell(Time(certificate.NotAfter)), Cell(flag == ExpiryFlag.Superseded ? "-" : DaysLeft(certificate.NotAfter - inventory.At)),
                Cell(FlagText(flag)));
        }
        console.Write(certificates);
        console.WriteLine(inventory.Flagged == 0
            ? "Nothing flagged."
            : $"{inventory.Flagged} flagged: expired, fewer than {CertificateExpiry.Warning.TotalDays:0} days left, or (short lifetimes) "
              + "in the last sixth of the lifetime, past the point its agent renews it.");
    }

    public static string Json(CertificateInventory inventory) => JsonSerializer.Serialize(new
    {
        at = inventory.At,
        authorities = inventory.Authorities.Select(ca => new
        {
            name = ca.Name,
            subject = ca.Subject,
            notBefore = ca.NotBefore,
            notAfter = ca.NotAfter,
            daysLeft = WholeDays(ca.NotAfter - inventory.At),
            secondsLeft = WholeSeconds(ca.NotAfter - inventory.At),
            flag = ca.Flag,
        }),
        certificates = inventory.Certificates.Select(row => new
        {
            instance = row.Certificate.Holder,
            name = row.Certificate.Name,
            identity = row.Certificate.Identity,
            subject = row.Certificate.Subject,
            issuer = row.Certificate.Issuer,
            serialNumber = row.Certificate.SerialNumber,
            notBefore = row.Certificate.NotBefore,
            notAfter = row.Certificate.NotAfter,
            issuedAt = row.Certificate.IssuedAt,
            daysLeft = WholeDays(row.Certificate.NotAfter - inventory.At),
            secondsLeft = WholeSeconds(row.Certificate.NotAfter - inventory.At),
            flag = row.Flag,
            superseded = row.Superseded,
        }),
        flagged = inventory.Flagged,
    }, PlanView.Json);

    /// <summary>Whole days; under a day, the hours and minutes or the minutes and seconds too, so a short one still reads.</summary>
    public static string DaysLeft(TimeSpan left) =>
        left <= TimeSpan.Zero ? "-"
        : left >= TimeSpan.FromDays(1) ? WholeDays(left).ToString(CultureInfo.InvariantCulture)
        : left >= TimeSpan.FromHours(1) ? $"<1 ({left.Hours}h {left.Minutes}m)"
        : $"<1 ({left.Minutes}m {left.Seconds}s)";

    private static long WholeDays(TimeSpan left) => (long)Math.Floor(left.TotalDays);

    private static long WholeSeconds(TimeSpan left) => (long)Math.Floor(left.TotalSeconds);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string FlagText(ExpiryFlag flag) => flag == ExpiryFlag.None ? "" : flag.ToString().ToLowerInvariant();

    private static IRenderable Cell(string text) => new Text(text);
}
