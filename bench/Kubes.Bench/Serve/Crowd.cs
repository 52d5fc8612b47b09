using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Kubes.Bench.Serve;

/// <summary>
/// The agents' side of the serve scenario, run in a process of its own so that the coordinator's CPU is measured
/// apart from the crowd's: the warm-up agents, then "warm" on stdout, then on a line of stdin the measured agents,
/// started at the plan's rate; the result goes to a JSON file.
/// </summary>
public static class Crowd
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);

    public static async Task<int> RunAsync(string planPath, string resultPath)
    {
        var plan = JsonSerializer.Deserialize<CrowdPlan>(await File.ReadAllTextAsync(planPath), CrowdPlan.Json)
            ?? throw new InvalidDataException($"{planPath} holds no crowd plan");
        using var ca = X509Certificate2.CreateFromPem(plan.CoordinatorCaPem);
        var trust = new CoordinatorTrust(ca);
        var coordinator = new Uri(plan.Coordinator);

        await RunAgentsAsync(Create(plan.WarmUp, coordinator, trust), 0, new ConversationLatencies());
        // The measured agents and their keys are made before the clock starts (see PreparedKeys).
        var measured = Create(plan.Measured, coordinator, trust);
        Console.WriteLine("warm");
        await Console.Out.FlushAsync();
        if (await Console.In.ReadLineAsync() is null) return 1;

        var latencies = new ConversationLatencies();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await RunAgentsAsync(measured, plan.AgentsPerSecond, latencies);
        clock.Stop();
        var result = new CrowdResult(latencies.Join.Result(), latencies.Certify.Result(), latencies.Report.Result(),
            latencies.CertificatesIssued, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, clock.Elapsed.TotalSeconds);
        await File.WriteAllTextAsync(resultPath, JsonSerializer.Serialize(result, CrowdPlan.Json));
        return 0;
    }

    private static List<SimulatedAgent> Create(IReadOnlyList<CrowdAgent> agents, Uri coordinator, CoordinatorTrust trust) =>
        agents.Select(agent => new SimulatedAgent(agent, coordinator, trust)).ToList();

    /// <summary>Starts agent i at i / rate seconds (every agent at once for a rate of 0), waits for all, and disposes them.</summary>
    private static async Task RunAgentsAsync(List<SimulatedAgent> crowd, double rate, ConversationLatencies latencies)
    {
        try
        {
            var running = new List<Task>(crowd.Count);
            var clock = Stopwatch.StartNew();
            var next = 0;
            while (next < crowd.Count)
            {
                var due = rate <= 0 ? crowd.Count : Math.Min(crowd.Count, (int)(clock.Elapsed.TotalSeconds * rate) + 1);
                for (; next < due; next++)
                {
                    var agent = crowd[next];
                    running.Add(Task.Run(() => agent.RunAsync(latencies)));
                }
                if (next < crowd.Count) await Task.Delay(Tick);
            }
            await Task.WhenAll(running);
        }
        finally
        {
            foreach (var agent in crowd) agent.Dispose();
        }
    }
}
