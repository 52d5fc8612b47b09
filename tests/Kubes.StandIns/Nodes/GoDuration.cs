using System.Globalization;
using System.Text.RegularExpressions;

namespace Kubes.StandIns.Nodes;

/// <summary>A Go duration ("10s", "1m30s", "500ms") of a KubeletConfiguration field, as Go's time.ParseDuration reads it.</summary>
public static partial class GoDuration
{
    public static TimeSpan Parse(string field, string text)
    {
        if (text is "0" or "+0" or "-0") return TimeSpan.Zero;
        var match = Duration().Match(text);
        if (!match.Success) throw new StandInException($"--config {field}: \"{text}\" is not a duration (Go's syntax: 10s, 1m30s, 500ms)");
        var ticks = match.Groups["number"].Captures.Zip(match.Groups["unit"].Captures, (number, unit) =>
            double.Parse(number.Value, CultureInfo.InvariantCulture) * TicksPer(unit.Value)).Sum();
        return TimeSpan.FromTicks((long)(match.Groups["sign"].Value == "-" ? -ticks : ticks));
    }

    private static double TicksPer(string unit) => unit switch
    {
        "ns" => TimeSpan.TicksPerMillisecond / 1e6,
        "us" or "µs" or "μs" => TimeSpan.TicksPerMillisecond / 1e3,
        "ms" => TimeSpan.TicksPerMillisecond,
        "s" => TimeSpan.TicksPerSecond,
        "m" => TimeSpan.TicksPerMinute,
        _ => TimeSpan.TicksPerHour,
    };

    [GeneratedRegex(@"^(?<sign>[-+]?)(?:(?<number>\d+(?:\.\d*)?|\.\d+)(?<unit>ns|us|µs|μs|ms|s|m|h))+$")]
    private static partial Regex Duration();
}
