using System.Globalization;

namespace Kubes.Controller.Spec;

/// <summary>A lifetime as the spec writes it: a whole number of days, hours or minutes (<c>90d</c>, <c>8h</c>, <c>30m</c>).</summary>
public static class SpecDuration
{
    /// <summary>At most this many of a unit: ten thousand years of minutes still fit a TimeSpan, the check is for typos.</summary>
    private const int MaxAmount = 10_000_000;

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        if (text.Length < 2) return false;
        var digits = text[..^1];
        if (!digits.All(char.IsAsciiDigit) || digits.Length > 8
            || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount > MaxAmount)
            return false;
        TimeSpan? parsed = text[^1] switch
        {
            'd' => TimeSpan.FromDays(amount),
            'h' => TimeSpan.FromHours(amount),
            'm' => TimeSpan.FromMinutes(amount),
            _ => null,
        };
        if (parsed is not { } result) return false;
        value = result;
        return true;
    }

    /// <summary>The largest unit that writes <paramref name="value"/> exactly, as the spec reads it back.</summary>
    public static string Format(TimeSpan value)
    {
        if (value.Ticks % TimeSpan.TicksPerMinute != 0)
            throw new ArgumentException($"{value} is not a whole number of minutes", nameof(value));
        if (value.Ticks % TimeSpan.TicksPerDay == 0) return $"{value.Ticks / TimeSpan.TicksPerDay}d";
        if (value.Ticks % TimeSpan.TicksPerHour == 0) return $"{value.Ticks / TimeSpan.TicksPerHour}h";
        return $"{value.Ticks / TimeSpan.TicksPerMinute}m";
    }
}
