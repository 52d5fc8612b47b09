using System.Text.Json;

namespace Kubes.Bench.Serve;

/// <summary>One simulated agent: what its instance's user-data and metadata would tell it.</summary>
public sealed record CrowdAgent(string Cluster, string InstanceId, string PrivateIp, string Zone, int Role, int Slot, string JoinToken);

/// <summary>
/// What the crowd process is to do: the coordinator's address and CA, the warm-up agents, then the measured agents,
/// started <see cref="AgentsPerSecond"/> apart (0: all at the same instant).
/// </summary>
public sealed record CrowdPlan(string Coordinator, string CoordinatorCaPem, double AgentsPerSecond,
    IReadOnlyList<CrowdAgent> WarmUp, IReadOnlyList<CrowdAgent> Measured)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

/// <summary>What the crowd measured, per call kind, and the CPU the crowd itself spent.</summary>
public sealed record CrowdResult(CallResult Join, CallResult Certify, CallResult Report, int CertificatesIssued, double CrowdCpuSeconds,
    double WallSeconds);

/// <summary>Every successful call's latency, the errors, and the window from the first start to the last end.</summary>
public sealed record CallResult(IReadOnlyList<double> Milliseconds, IReadOnlyList<string> Errors, double WindowSeconds)
{
    public int Count => Milliseconds.Count;

    public double PerSecond => WindowSeconds <= 0 ? 0 : Count / WindowSeconds;

    /// <summary>Nearest-rank percentile in milliseconds.</summary>
    public double Percentile(double p)
    {
        if (Milliseconds.Count == 0) return double.NaN;
        var sorted = Milliseconds.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public double Max => Milliseconds.Count == 0 ? double.NaN : Milliseconds.Max();
}
