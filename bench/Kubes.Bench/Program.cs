using System.CommandLine;
using Kubes.Bench.Agent;
using Kubes.Bench.Aws;
using Kubes.Bench.LocalUp;
using Kubes.Bench.Mailbox;
using Kubes.Bench.Micro;
using Kubes.Bench.Reporting;
using Kubes.Bench.Serve;

// dotnet run -c Release --project bench/Kubes.Bench -- aws|serve|agent|micro|all [options]
var runs = new Option<int>("--runs") { Description = "Measured runs per case (after a warm-up).", DefaultValueFactory = _ => 3 };
var agents = new Option<int>("--agents") { Description = "Simulated agents: the etcd members, the rest nodes.", DefaultValueFactory = _ => 500 };
var stateRoot = new Option<string?>("--state-root") { Description = "Where the temporary folder state store goes (default: the system temp folder)." };
var rate = new Option<double>("--rate") { Description = "Agents starting per second; 0 starts them all at the same instant.", DefaultValueFactory = _ => 0 };

var aws = new Command("aws", "AWS API calls and wall time of up, no-op up and destroy against a moto_server of its own.") { runs };
aws.SetAction(async (parse, _) =>
{
    Header("aws");
    await AwsScenario.RunAsync(parse.GetValue(runs), Console.Out);
});

var serve = new Command("serve", "kubes serve under a crowd of agents joining, certifying and reporting at once over gRPC.")
{
    agents, runs, stateRoot, rate,
};
serve.SetAction(async (parse, _) =>
{
    Header("serve");
    await ServeScenario.RunAsync(new ServeOptions(parse.GetValue(agents), parse.GetValue(runs), parse.GetValue(rate), parse.GetValue(stateRoot)),
        Console.Out);
});

var mailboxAgents = new Option<int>("--agents") { Description = "Join requests queued at once.", DefaultValueFactory = _ => 1000 };
var mailbox = new Command("mailbox", "The S3 mailbox at scale against moto: S3 calls per answered request, listings, refresh and sweep.")
{
    mailboxAgents,
};
mailbox.SetAction(async (parse, _) =>
{
    Header("mailbox");
    var run = await MailboxScenario.RunAsync(parse.GetValue(mailboxAgents), Console.Out);
    return run.Answered == run.Queued ? 0 : 1;
});

var small = new Option<bool>("--small") { Description = "1 controller, 1 node, no bastion instead of the embedded default's 10 slots." };
var import = new Option<string?>("--import")
{
    Description = "A folder of Kubernetes' programs with its SHA256SUMS, imported before each up (the test stand-ins: scripts/build-standins.sh); " +
                  "the run then also measures the time to every slot Ready.",
};
var localUp = new Command("local-up", "kubes up --local to a healthy etcd tier, against a bare 3-member etcd started in the same run.")
{
    runs, small, import,
};
localUp.SetAction(async (parse, _) =>
{
    Header("local-up");
    var results = await LocalUpScenario.RunAsync(parse.GetValue(runs), parse.GetValue(small), Console.Out, parse.GetValue(import));
    return results.All(r => r.Healthy) ? 0 : 1;
});

// The serve scenario's agents, in a process of their own (started by the scenario, not by hand).
var plan = new Argument<string>("plan");
var result = new Argument<string>("result");
var serveCrowd = new Command("serve-crowd", "The agents of the serve scenario (internal).") { plan, result };
serveCrowd.Hidden = true;
serveCrowd.SetAction(async (parse, _) => await Crowd.RunAsync(parse.GetValue(plan)!, parse.GetValue(result)!));

string[] publishedAgents = ["artifacts/agent-native/Release/kubes-agent", "artifacts/agent/Release/kubes-agent"];
var agentFiles = new Option<string[]>("--agent") { Description = "kubes-agent files to measure.", DefaultValueFactory = _ => publishedAgents };
var agent = new Command("agent", "kubes-agent's size, start time and idle memory: the Native AOT one 'dotnet publish' makes and the " +
                                 "framework-dependent one of 'dotnet build'.") { agentFiles, runs };
agent.SetAction(async (parse, _) =>
{
    Header("agent");
    await AgentScenario.RunAsync(parse.GetValue(agentFiles)!, parse.GetValue(runs), Console.Out);
});

var micro = new Command("micro", "Planner.Compute and CsrSigner.Sign through BenchmarkDotNet; other arguments go to it (e.g. --filter *Csr*).")
{
    TreatUnmatchedTokensAsErrors = false,
};
micro.SetAction(parse =>
{
    Header("micro");
    MicroScenario.Run([.. parse.UnmatchedTokens]);
});

var all = new Command("all", "aws, serve, agent and micro with their defaults.");
all.SetAction(async (_, _) =>
{
    Header("aws");
    await AwsScenario.RunAsync(3, Console.Out);
    Header("serve");
    await ServeScenario.RunAsync(new ServeOptions(500, 3), Console.Out);
    Header("agent");
    await AgentScenario.RunAsync(publishedAgents, 5, Console.Out);
    Header("micro");
    MicroScenario.Run([]);
});

var root = new RootCommand("Kubes benchmarks: AWS calls against moto, kubes serve throughput, the agent binary, micro benchmarks.")
{
    aws, serve, serveCrowd, mailbox, localUp, agent, micro, all,
};
return await root.Parse(args).InvokeAsync();

static void Header(string scenario)
{
    Console.WriteLine($"# Kubes.Bench {scenario}");
    Console.WriteLine($"Machine: {Machine.Describe()}");
    Console.WriteLine();
}
