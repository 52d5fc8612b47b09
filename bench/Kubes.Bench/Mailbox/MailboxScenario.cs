using Kubes.Protos.Contract;
using System.Diagnostics;
using Google.Protobuf;
using Kubes.Bench.Aws;
using Kubes.Bench.Reporting;
using Kubes.Bench.Serve;
using Kubes.Controller.Aws;
using Kubes.Controller.Aws.Query;
using Kubes.Controller.Channels.Mailbox;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Controller.Status;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Bench.Mailbox;

/// <summary>What one answered mailbox request costs in S3 calls, and how long a queue takes.</summary>
public sealed record MailboxRun(int Queued, int Answered, TimeSpan Wall, int Passes, IReadOnlyDictionary<string, int> CallsByAction,
    int StatusRefreshCalls, int SweepCalls)
{
    public int Calls => CallsByAction.Values.Sum();
}

/// <summary>
/// The S3 mailbox at scale, against moto: N agents' Join requests queued in the bucket at once, then answered by the
/// coordinator's <see cref="MailboxAnswerer"/> (as <c>kubes serve</c> and <c>kubes up</c> run it) until none is left,
/// with every S3 call of the answerer's store counted by action; then one status refresh and one sweep for unread
/// answers over the N answers, as the coordinator makes every few seconds and every minute.
/// </summary>
public static class MailboxScenario
{
    private const string Bucket = "kubes-bench-mailbox";

    public static async Task<MailboxRun> RunAsync(int agents, TextWriter output)
    {
        await using var moto = await MotoProcess.StartAsync();
        moto.UseForThisProcess();
        var spec = ServeScenario.Spec(agents) with { AgentChannel = AgentChannel.S3 };
        var topology = ClusterTopology.From(spec);
        using var pki = BenchPki.Create(topology);
        var location = new S3StateLocation(Bucket, "");
        using var plain = S3StateStore.CreateClient(MotoProcess.Region);
        await plain.PutBucketAsync(Bucket);
        var setup = new S3StateStore(plain, location);

        // The agents' side, uncounted: tokens as 'kubes up' issues them, one Join request each.
        var slots = topology.SlotsOf(InstanceRole.Etcd).Concat(topology.SlotsOf(InstanceRole.Node)).Take(agents);
        var instances = new LaunchedInstances(spec.Name, slots);
        var tokens = new JoinTokenStore(setup, spec.Name);
        foreach (var (instanceId, slot) in instances.Launched)
        {
            var token = await tokens.IssueForSlotAsync(slot.Role, slot.Index, TimeSpan.FromHours(1));
            var request = new MailboxRequest
            {
                RequestId = "join-1",
                Join = new JoinRequest
                {
                    AgentVersion = "kubes-bench",
                    Identity = new InstanceIdentity
                    {
                        Cluster = spec.Name, InstanceId = instanceId, PrivateIp = slot.PrivateIp!.ToString(), AvailabilityZone = slot.Zone.Zone,
                        Role = slot.Role.ToProto(), Slot = slot.Index, JoinToken = token,
                    },
                },
            };
            await setup.PutAsync(MailboxKeys.Request(instanceId, "join-1"), request.ToByteArray());
        }

        // The coordinator's side, every S3 call counted.
        var calls = new AwsCallCounter();
        using var counted = S3StateStore.CreateClient(MotoProcess.Region).ReportingTo(AwsService.S3, calls);
        var store = new S3StateStore(counted, location);
        var status = new StatusHub(new AgentStatusStore(store));
        var registrar = AgentRegistrar.Create(topology, store, instances, pki.Issuer, status);
        var answerer = new MailboxAnswerer(store, registrar);
        var clock = Stopwatch.StartNew();
        var answered = 0;
        var passes = 0;
        while (answered < agents && passes < 20)
        {
            answered += await answerer.AnswerPendingAsync();
            passes++;
        }
        clock.Stop();
        var byAction = calls.ByAction();

        var beforeRefresh = calls.Total;
        await status.RefreshAsync();
        await status.RefreshAsync(); // the second finds nothing changed: one listing
        var refresh = calls.Total - beforeRefresh;
        var beforeSweep = calls.Total;
        await new MailboxAnswerer(store, registrar).AnswerPendingAsync(); // a new process: sweeps once, reads each answer once
        var sweep = calls.Total - beforeSweep;

        var run = new MailboxRun(agents, answered, clock.Elapsed, passes, byAction, refresh, sweep);
        await output.WriteLineAsync(Report(run));
        return run;
    }

    private static string Report(MailboxRun run)
    {
        var summary = new MarkdownTable("queued Join requests", "answered", "passes", "wall s", "answers/s", "S3 calls", "S3 calls per answer",
            "ListObjectsV2", "two status refreshes", "sweep by a new process");
        summary.Add(run.Queued, run.Answered, run.Passes, $"{run.Wall.TotalSeconds:0.00}", $"{run.Answered / run.Wall.TotalSeconds:0}",
            run.Calls, $"{(double)run.Calls / Math.Max(run.Answered, 1):0.00}", run.CallsByAction.GetValueOrDefault("s3:ListObjectsV2"),
            run.StatusRefreshCalls, run.SweepCalls);
        var byAction = new MarkdownTable("action", "calls", "per answer");
        foreach (var (action, count) in run.CallsByAction)
            byAction.Add(action, count, $"{(double)count / Math.Max(run.Answered, 1):0.00}");
        return summary + "\n" + byAction;
    }
}
