using Kubes.Controller.Cli.Rendering;
using Kubes.Controller.Spec;
using Kubes.Controller.Status;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;
using Google.Protobuf.WellKnownTypes;

namespace Kubes.Controller.Tests.Cli.Rendering;

public sealed class StatusLinesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The embedded local default (10 slots), every agent failing with a long error of several lines.</summary>
    private static IReadOnlyList<SlotStatus> TenFailingSlots()
    {
        var topology = ClusterTopology.From(ClusterSpecDefaults.Local("kubes"));
        var agents = topology.Slots.Select((slot, i) => new AgentStatus
        {
            InstanceId = $"i-{i:x17}",
            Name = slot.Name,
            Role = Role.Etcd,
            AvailabilityZone = slot.Zone.Zone,
            PrivateIp = slot.PrivateIp?.ToString() ?? "",
            LastReport = new AgentReport
            {
                Phase = Phase.Failed,
                Step = "download etcd v3.6.5 from the mirror",
                Error = "artifact etcd-v3.6.5-linux-amd64.tar.gz: sha256 mismatch\n  expected 0123456789abcdef0123456789abcdef\n" +
                        "  got      fedcba9876543210fedcba9876543210\n" + new string('x', 400),
                Health = new Health { Healthy = false, Detail = "etcd not running", CheckedAt = Timestamp.FromDateTimeOffset(Now) },
                At = Timestamp.FromDateTimeOffset(Now.AddSeconds(-42)),
            },
        });
        return SlotStatus.For(topology, agents);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public void Each_slot_is_one_line_no_longer_than_the_width(int width)
    {
        var rows = TenFailingSlots();
        var lines = StatusLines.Table(rows, Now, width);

        Assert.Equal(rows.Count + 1, lines.Count);
        Assert.All(lines, line => Assert.True(line.Length <= width, $"{line.Length} > {width}: {line}"));
        Assert.All(lines, line => Assert.DoesNotContain('\n', line));
        Assert.All(rows.Zip(lines.Skip(1)), pair => Assert.StartsWith(pair.First.Slot + " ", pair.Second));
        Assert.All(lines.Skip(1), line => Assert.Contains("artifact etcd", line));
        Assert.All(lines.Skip(1), line => Assert.EndsWith("…", line));
    }

    [Fact]
    public void A_wide_terminal_shows_the_reason_whole_on_one_line()
    {
        var row = TenFailingSlots()[0];
        var line = StatusLines.Table([row], Now, 1000)[1];

        Assert.Contains("sha256 mismatch expected 0123456789abcdef0123456789abcdef got", line);
        Assert.Contains("Failed", line);
        Assert.Contains("42s ago", line);
        Assert.Contains("unhealthy", line);
    }

    [Fact]
    public void A_slot_without_error_gives_its_health_detail_as_reason()
    {
        var row = new SlotStatus("etcd-0", "etcd", "i-1", "local-a", "127.0.0.10", "Installing", "start etcd", "unhealthy: etcd not running",
            Now, null);
        Assert.Equal("etcd not running", StatusLines.Reason(row));
        Assert.Equal("unhealthy", StatusLines.HealthSummary(row));
    }

    [Fact]
    public void A_short_component_summary_fits_the_health_column()
    {
        var row = new SlotStatus("controller-0", "controller", "i-1", "local-a", "127.0.0.20", "Ready", "-", "apiserver ✓ cm ✓ sched ✗",
            Now, null);
        // Today's health is healthy/unhealthy; the column is wide enough for a three-component summary.
        Assert.True("apiserver ✓ cm ✓ sched ✗".Length <= 28);
        Assert.Single(StatusLines.Table([row], Now, 80).Skip(1));
    }

    [Theory]
    [InlineData(80, 12)]
    [InlineData(120, 40)]
    public void The_live_view_keeps_within_the_terminal_and_shows_unfinished_slots_first(int width, int height)
    {
        var rows = TenFailingSlots().Concat(Enumerable.Range(0, 40).Select(i =>
            new SlotStatus($"node-{i + 3}", "node", $"i-{i}", "local-a", null, "Ready", null, "healthy", Now, null))).ToList();
        var view = new LiveTableStatusView(TextWriter.Null, width, height);

        var lines = view.Draw(rows, Now);

        Assert.True(lines.Count <= height - 1, $"{lines.Count} lines for a terminal of {height}");
        Assert.All(lines, line => Assert.True(line.Length <= width, line));
        Assert.StartsWith("…", lines[^1]);
        Assert.Contains("Failed", lines[1]);
    }
}
