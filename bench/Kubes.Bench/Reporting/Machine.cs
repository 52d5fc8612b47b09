using System.Runtime.InteropServices;

namespace Kubes.Bench.Reporting;

/// <summary>What the numbers were measured on, printed above every result.</summary>
public static class Machine
{
    public static string Describe()
    {
        var memoryGiB = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return $"{Environment.ProcessorCount} cores ({CpuModel()}), {memoryGiB:0.#} GiB, {RuntimeInformation.OSDescription}, " +
               $".NET {Environment.Version}, load average {LoadAverage()}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC";
    }

    /// <summary>The machine is shared: what else ran shows here (1, 5 and 15 minutes).</summary>
    private static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo")
                .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?
                .Split(':', 2)[1].Trim() ?? "unknown CPU";
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }
}
