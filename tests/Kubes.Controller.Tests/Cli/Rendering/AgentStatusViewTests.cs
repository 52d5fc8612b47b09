using Kubes.Controller.Cli.Rendering;
using Kubes.Controller.Status;

namespace Kubes.Controller.Tests.Cli.Rendering;

public sealed class AgentStatusViewTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static SlotStatus Row(string slot, string phase, string? step = null, string? error = null) =>
        new(slot, "etcd", "i-0123", "us-east-1a", "10.0.0.10", phase, step, "-", Now.AddSeconds(-3), error);

    [Fact]
    public async Task Changed_lines_print_a_slot_only_when_its_phase_step_or_error_changes()
    {
        var output = new StringWriter();
        var view = new ChangedLinesStatusView(output);

        await view.ShowAsync([Row("etcd-0", "Joining"), Row("etcd-1", "Pending")], Now);
        await view.ShowAsync([Row("etcd-0", "Joining"), Row("etcd-1", "Pending")], Now);
        await view.ShowAsync([Row("etcd-0", "Installing", "download etcd"), Row("etcd-1", "Failed", error: "disk full")], Now);

        Assert.Equal(
            "  etcd-0         Joining\n" +
            "  etcd-1         Pending\n" +
            "  etcd-0         Installing (download etcd)\n" +
            "  etcd-1         Failed: disk full\n",
            output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task The_live_table_redraws_itself_in_place_over_exactly_the_lines_it_drew()
    {
        var output = new StringWriter { NewLine = "\n" };
        var view = new LiveTableStatusView(output, 160, 50);

        await view.ShowAsync([Row("etcd-0", "Joining"), Row("etcd-1", "Pending")], Now);
        var first = output.ToString();
        await view.ShowAsync([Row("etcd-0", "Ready"), Row("etcd-1", "Installing", "start etcd")], Now);
        var second = output.ToString()[first.Length..];

        Assert.DoesNotContain("\u001b[", first);
        Assert.Contains("Joining", first);
        var firstLines = first.Count(c => c == '\n');
        Assert.StartsWith($"\u001b[{firstLines}A\r\u001b[J", second);
        Assert.Contains("Ready", second);
        Assert.Contains("start etcd", second);
        Assert.DoesNotContain("Joining", second);
        Assert.Contains("3s ago", second);
    }

    [Fact]
    public void Output_that_is_not_the_terminal_gets_changed_lines()
    {
        Assert.IsType<ChangedLinesStatusView>(AgentStatusViews.For(new StringWriter()));
    }
}
