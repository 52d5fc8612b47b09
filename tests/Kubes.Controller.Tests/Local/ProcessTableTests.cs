using System.Diagnostics;
using Kubes.Controller.Local;

namespace Kubes.Controller.Tests.Local;

public sealed class ProcessTableTests
{
    [Fact]
    public void A_stat_line_is_read_past_a_command_name_with_spaces_and_parentheses()
    {
        var stat = "4711 (kubes (agent) x) S 4700 4711 4711 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 123456 1000 10 18446744073709551615";

        var entry = ProcessTable.Parse(4711, stat);

        Assert.Equal(new ProcessEntry(4711, 4700, 4711, 'S', 123456), entry);
        Assert.False(entry!.Value.HasExited);
    }

    [Theory]
    [InlineData("")]
    [InlineData("4711 (sleep")]
    [InlineData("4711 (sleep) S 1 2")]
    public void A_truncated_stat_line_reads_as_nothing(string stat) => Assert.Null(ProcessTable.Parse(4711, stat));

    [Fact]
    public void A_child_is_found_with_its_parent_and_the_environment_it_was_started_with()
    {
        var start = new ProcessStartInfo("sleep", ["30"]) { UseShellExecute = false };
        start.Environment["KUBES_TEST_MARKER"] = "blue";
        using var child = Process.Start(start)!;
        try
        {
            var entry = Assert.Single(ProcessTable.Running(), p => p.Pid == child.Id);
            Assert.Equal(Environment.ProcessId, entry.ParentPid);
            Assert.Equal(ProcessTable.Read(Environment.ProcessId)!.Value.SessionId, entry.SessionId);
            Assert.True(ProcessTable.HasVariable(child.Id, "KUBES_TEST_MARKER", "blue"));
            Assert.False(ProcessTable.HasVariable(child.Id, "KUBES_TEST_MARKER", "blu"));
            Assert.False(ProcessTable.HasVariable(Environment.ProcessId, "KUBES_TEST_MARKER", "blue"));

            Assert.True(ProcessTable.Signal(child.Id, ProcessTable.SigKill));
            child.WaitForExit();
            Assert.DoesNotContain(ProcessTable.Running(), p => p.Pid == child.Id);
        }
        finally
        {
            if (!child.HasExited) child.Kill();
        }
    }
}
