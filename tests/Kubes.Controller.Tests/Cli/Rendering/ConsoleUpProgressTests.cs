using Kubes.Controller.Cli.Rendering;
using Kubes.Controller.Status;

namespace Kubes.Controller.Tests.Cli.Rendering;

/// <summary>The roll as <c>kubes up</c> shows it: one line per step, which member and what it waits for.</summary>
public sealed class ConsoleUpProgressTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static SlotStatus Row(string slot, string phase) => new(slot, "etcd", "i-0123", "us-east-1a", "10.0.0.10", phase, "health", "-",
        Now.AddSeconds(-3), null);

    [Fact]
    public async Task A_roll_reads_as_a_history_of_who_changes_and_what_it_waits_for()
    {
        var output = new StringWriter { NewLine = "\n" };
        var progress = new ConsoleUpProgress(output);

        progress.RollAssigned("node-0", 2, "its configuration does not change");
        progress.RollStarting(2, "etcd", ["etcd-0", "etcd-1"]);
        progress.RollWaiting("etcd-0", "its agent to take generation 2 (it reports Ready, health on an earlier one)");
        await progress.ShowAsync([Row("etcd-0", "Installing")], Now);
        progress.RollMemberDone("etcd-0", 2, TimeSpan.FromSeconds(41.4));

        Assert.Equal(
            "  node-0: on generation 2 at once (its configuration does not change)\n" +
            "Rolling generation 2 of the desired state across etcd, one member at a time: etcd-0, etcd-1\n" +
            "  etcd-0: waiting for its agent to take generation 2 (it reports Ready, health on an earlier one)\n" +
            "  etcd-0         Installing (health)\n" +
            "  etcd-0: runs generation 2, Ready (41 s)\n",
            output.ToString());
    }

    [Fact]
    public async Task At_a_terminal_a_line_takes_the_place_of_the_live_table_and_the_table_is_drawn_again_below_it()
    {
        var output = new StringWriter { NewLine = "\n" };
        var view = new LiveTableStatusView(output, 160, 50);
        await view.ShowAsync([Row("etcd-0", "Ready"), Row("etcd-1", "Ready")], Now);
        var table = output.ToString();

        view.PrepareForLine();
        output.WriteLine("  etcd-0: runs generation 2, Ready (41 s)");
        var erased = output.ToString()[table.Length..];
        await view.ShowAsync([Row("etcd-0", "Ready"), Row("etcd-1", "Installing")], Now);
        var redrawn = output.ToString()[(table.Length + erased.Length)..];

        Assert.Equal($"\u001b[{table.Count(c => c == '\n')}A\r\u001b[J  etcd-0: runs generation 2, Ready (41 s)\n", erased);
        Assert.DoesNotContain("\u001b[", redrawn);
        Assert.Contains("Installing", redrawn);
    }
}
