using System.Diagnostics;
using Kubes.Controller.Local;

namespace Kubes.Controller.Tests.Local.Support;

/// <summary>A bounded wait for something another process does.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, Func<string>? explain = null)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
                throw new TimeoutException($"gave up waiting for {what}{(explain is null ? "" : "\n" + explain())}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits for the instance's user-data to write <paramref name="file"/> under its root; a timeout shows its console log.</summary>
    public static Task WroteAsync(LocalInstance instance, string file) =>
        TrueAsync(() => File.Exists(Path.Join(instance.RootFolder, file)), $"{instance.InstanceId} to write {file}",
            () => "its console log:\n" + (File.Exists(instance.ConsoleLogPath) ? File.ReadAllText(instance.ConsoleLogPath) : "(none)"));
}
