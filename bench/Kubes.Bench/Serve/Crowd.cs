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
        var coordinator = new Uri(plan.Coordinator);

        await RunAgentsAsync(plan.WarmUp, 0, coordinator, ca, new ConversationLatencies());
        Console.WriteLine("warm");
        await Console.Out.FlushAsync();
        if (await Console.In.ReadLineAsync() is null) return 1;

        var latencies = new ConversationLatencies();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await RunAgentsAsync(plan.Measured, plan.AgentsPerSecond, coordinator, ca, latencies);
        clock.Stop();
        var result = new CrowdResult(latencies.Join.Result(), latencies.Certify.Result(), latencies.Report.Result(),
            latencies.CertificatesIssued, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, clock.Elapsed.TotalSeconds);
        await File.WriteAllTextAsync(resultPath, JsonSerializer.Serialize(result, CrowdPlan.Json));
        return 0;
    }

    /// <summary>Starts agent i at i / rate seconds (every agent at once for a rate of 0) and waits for all.</summary>
    private static async Task RunAgentsAsync(IReadOnlyList<CrowdAgent> agents, double rate, Uri coordinator, X509Certificate2 ca,
        ConversationLatencies latencies)
    {
        var crowd = agents.Select(agent => new SimulatedAgent(agent, coordinator, ca)).ToList();
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
