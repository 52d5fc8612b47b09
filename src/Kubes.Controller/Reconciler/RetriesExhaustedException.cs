namespace Kubes.Controller.Reconciler;

/// <summary>A change that kept failing until its <see cref="RetryBudget"/> ran out; the last failure is inside.</summary>
public sealed class RetriesExhaustedException(Exception last, int attempts, TimeSpan elapsed)
    : Exception($"{last.Message} (still failing after {attempts} attempts over {Format(elapsed)})", last)
{
    public int Attempts => attempts;

    private static string Format(TimeSpan elapsed) =>
        elapsed >= TimeSpan.FromMinutes(1) ? $"{(int)elapsed.TotalMinutes} min {elapsed.Seconds} s" : $"{elapsed.TotalSeconds:0.0} s";
}
