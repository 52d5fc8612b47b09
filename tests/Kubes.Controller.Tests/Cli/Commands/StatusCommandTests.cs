using Google.Protobuf.WellKnownTypes;
using Kubes.Controller.Cli;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Controller.Status;
using Kubes.Protos.V1;

namespace Kubes.Controller.Tests.Cli.Commands;

/// <summary><c>kubes status</c> over a local cluster's state folder holding a failing agent's report.</summary>
public sealed class StatusCommandTests : IDisposable
{
    private const string Error = "artifact etcd: sha256 mismatch\nexpected 0123\ngot 4567";
    private readonly string _folder = Directory.CreateTempSubdirectory("kubes-status-").FullName;
    private readonly string _spec;

    public StatusCommandTests()
    {
        var spec = ClusterSpecDefaults.Local("demo") with { StateStore = Path.Join(_folder, "state") };
        _spec = Path.Join(_folder, "cluster.yaml");
        File.WriteAllText(_spec, ClusterSpecWriter.Write(spec));
        new AgentStatusStore(new FolderStateStore(spec.StateStore)).PutAsync(new AgentStatus
        {
            InstanceId = "i-0123456789abcdef0",
            Name = "etcd-0",
            Role = Role.Etcd,
            AvailabilityZone = "local-a",
            PrivateIp = "127.226.0.10",
            LastReport = new AgentReport
            {
                Phase = Phase.Failed,
                Step = "download etcd",
                Error = Error,
                At = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(-5)),
            },
        }).GetAwaiter().GetResult();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_table_is_one_line_per_slot_with_the_error_on_that_line()
    {
        var run = await CommandLine.RunAsync($"status -f {_spec}");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Stderr);
        var lines = run.Stdout.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(11, lines.Length); // the header and the embedded default's 10 slots
        Assert.Contains(lines, line => line.StartsWith("etcd-0 ", StringComparison.Ordinal)
                                       && line.Contains("Failed", StringComparison.Ordinal)
                                       && line.Contains("artifact etcd: sha256 mismatch expected 0123 got 4567", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_named_slot_is_shown_in_full()
    {
        var run = await CommandLine.RunAsync($"status etcd-0 -f {_spec}");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Stderr);
        Assert.Contains("Instance:    i-0123456789abcdef0", run.Stdout);
        Assert.Contains("Error:       " + Error, run.Stdout.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Wide_shows_every_column()
    {
        var run = await CommandLine.RunAsync($"status -o wide -f {_spec}");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Stderr);
        Assert.Contains("i-0123456789abcdef0", run.Stdout);
        Assert.Contains("local-a", run.Stdout);
        Assert.Contains("got 4567", run.Stdout);
    }

    [Fact]
    public async Task An_unknown_slot_is_bad_input_naming_the_slots()
    {
        var run = await CommandLine.RunAsync($"status etcd-9 -f {_spec}");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("no slot 'etcd-9'", run.Stderr);
        Assert.Contains("etcd-0, etcd-1", run.Stderr);
    }
}
