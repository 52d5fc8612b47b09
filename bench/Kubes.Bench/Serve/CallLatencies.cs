using System.Collections.Concurrent;
using System.Diagnostics;

namespace Kubes.Bench.Serve;

/// <summary>Per-call latencies and the window in which calls of one kind ran, collected from every agent.</summary>
public sealed class CallLatencies
{
    private readonly ConcurrentQueue<double> _milliseconds = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private long _firstStart = long.MaxValue;
    private long _lastEnd = long.MinValue;

    /// <summary>Times one call; a failed call counts as an error, not as a latency.</summary>
    public async Task<T?> TimeAsync<T>(Func<Task<T>> call) where T : class
    {
        var start = Stopwatch.GetTimestamp();
        Min(ref _firstStart, start);
        try
        {
            var result = await call();
            var end = Stopwatch.GetTimestamp();
            Max(ref _lastEnd, end);
            _milliseconds.Enqueue(Stopwatch.GetElapsedTime(start, end).TotalMilliseconds);
            return result;
        }
        catch (Exception e)
        {
            _errors.Enqueue(e.Message);
            return null;
        }
    }

    /// <summary>From the first call's start to the last successful call's end.</summary>
    public CallResult Result() => new([.. _milliseconds], [.. _errors],
        _milliseconds.IsEmpty ? 0 : Stopwatch.GetElapsedTime(_firstStart, _lastEnd).TotalSeconds);

    private static void Min(ref long target, long value)
    {
        long seen;
        while (value < (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }

    private static void Max(ref long target, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
