using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Kubes.Controller.Spec;

/// <summary>
/// How long a certificate or a CA is valid, as the spec writes it: a whole number and one unit, <c>d</c> (days) for
/// people, <c>h</c> or <c>m</c> (minutes) for tests — <c>3650d</c>, <c>8760h</c>, <c>10m</c>. Written back in the largest
/// unit that divides it, so <c>1440m</c> reads as <c>1d</c>. JSON (a spec recorded as applied) carries the same text.
/// </summary>
[JsonConverter(typeof(LifetimeJsonConverter))]
public readonly partial record struct Lifetime : IComparable<Lifetime>
{
    private Lifetime(int minutes) => Minutes = minutes;

    public int Minutes { get; }

    public TimeSpan Value => TimeSpan.FromMinutes(Minutes);

    public static Lifetime FromMinutes(int minutes) =>
        minutes > 0 ? new Lifetime(minutes) : throw new ArgumentOutOfRangeException(nameof(minutes), minutes, "a lifetime is positive");

    public static Lifetime FromHours(int hours) => FromMinutes(checked(hours * 60));

    public static Lifetime FromDays(int days) => FromMinutes(checked(days * 24 * 60));

    /// <summary>What the spec says a lifetime looks like, for error messages.</summary>
    public const string Syntax = "a whole number and a unit: d (days), h (hours) or m (minutes), like 365d, 8760h or 10m";

    public static bool TryParse(string? text, out Lifetime lifetime)
    {
        lifetime = default;
        if (text is null || Pattern().Match(text) is not { Success: true } match) return false;
        var number = int.Parse(match.Groups["number"].Value, NumberStyles.None, CultureInfo.InvariantCulture);
        long minutes = match.Groups["unit"].Value switch
        {
            "d" => number * 24L * 60,
            "h" => number * 60L,
            _ => number,
        };
        if (minutes is <= 0 or > int.MaxValue) return false;
        lifetime = new Lifetime((int)minutes);
        return true;
    }

    public static Lifetime Parse(string text) =>
        TryParse(text, out var lifetime) ? lifetime : throw new FormatException($"'{text}' is not a lifetime: {Syntax}");

    public override string ToString() =>
        Minutes % (24 * 60) == 0 ? $"{Minutes / (24 * 60)}d"
        : Minutes % 60 == 0 ? $"{Minutes / 60}h"
        : $"{Minutes}m";

    public int CompareTo(Lifetime other) => Minutes.CompareTo(other.Minutes);

    public static bool operator <(Lifetime left, Lifetime right) => left.Minutes < right.Minutes;

    public static bool operator >(Lifetime left, Lifetime right) => left.Minutes > right.Minutes;

    public static bool operator <=(Lifetime left, Lifetime right) => left.Minutes <= right.Minutes;

    public static bool operator >=(Lifetime left, Lifetime right) => left.Minutes >= right.Minutes;

    /// <summary>At most six digits: 36500d, the longest CA lifetime, fits; a longer number is a typo, not a lifetime.</summary>
    [GeneratedRegex(@"^(?<number>[1-9][0-9]{0,5})(?<unit>[dhm])\z")]
    private static partial Regex Pattern();
}

/// <summary>A lifetime in JSON as the spec writes it (<c>"365d"</c>).</summary>
public sealed class LifetimeJsonConverter : JsonConverter<Lifetime>
{
    public override Lifetime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && Lifetime.TryParse(reader.GetString(), out var lifetime)
            ? lifetime
            : throw new JsonException($"a lifetime is a string: {Lifetime.Syntax}");

    public override void Write(Utf8JsonWriter writer, Lifetime value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
