using System.Diagnostics;

namespace Kubes.Controller.Tests.Local.Support;

/// <summary>A bounded wait for something another process does.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? limit = null)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > (limit ?? TimeSpan.FromSeconds(60)))
                throw new TimeoutException($"gave up waiting for {what}");
            await Task.Delay(50);
        }
    }
}
