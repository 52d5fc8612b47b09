using CsCheck;
using Kubes.Agent.Services;
using Kubes.Agent.Tests.Support;

namespace Kubes.Agent.Tests.Services;

public sealed class SystemdUnitTests
{
    [Fact]
    public void Any_word_survives_quoting_and_splitting() =>
        Gen.String[Gen.Char.Where(c => c is not ('\n' or '\r' or '\0')), 0, 30].Array[1, 6].Sample(words =>
            SystemdQuoting.Split(string.Join(' ', words.Select(SystemdQuoting.Quote))).SequenceEqual(words));

    [Fact]
    public void Percent_and_dollar_reach_the_program_literally()
    {
        Assert.Equal("100%%", SystemdQuoting.Quote("100%"));
        Assert.Equal("\"a $$HOME b\"", SystemdQuoting.Quote("a $HOME b"));
    }

    [Fact]
    public void A_line_break_cannot_be_put_in_a_unit() => Assert.Throws<ArgumentException>(() => SystemdQuoting.Quote("a\nb"));

    [Fact]
    public void A_rendered_unit_reads_back_as_the_same_service()
    {
        var unit = new SystemdUnit
        {
            Name = "demo",
            Description = "demo service",
            Type = "notify",
            Restart = "on-failure",
            RestartSec = TimeSpan.FromSeconds(2.5),
            TimeoutStopSec = TimeSpan.FromSeconds(12),
            ExecStart = ["/usr/local/bin/demo", "--flag=a b", "--other=\"q\"", "--path=/x/y"],
            Environment = [new("GODEBUG", "x509sha1=1"), new("EMPTY", "")],
            LimitNoFile = 1024,
        };

        var parsed = SystemdUnit.Parse("demo", unit.Render());

        Assert.Equal(unit.ExecStart, parsed.ExecStart);
        Assert.Equal((unit.Type, unit.Restart, unit.RestartSec, unit.TimeoutStopSec, unit.Description),
            (parsed.Type, parsed.Restart, parsed.RestartSec, parsed.TimeoutStopSec, parsed.Description));
        Assert.Equal(unit.Environment, parsed.Environment);
    }

    [Fact]
    public void A_unit_without_ExecStart_is_refused() =>
        Assert.Throws<FormatException>(() => SystemdUnit.Parse("x", "[Service]\nType=simple\n"));

    /// <summary>What containerd and kubelet need from their units, with a drop-in (the shape, not their real units).</summary>
    internal static SystemdUnit RuntimeLike() => new()
    {
        Name = "runtime",
        Description = "a container runtime (kubes)",
        ExecStart = ["/usr/local/bin/runtime", "--config=/etc/runtime/config.toml"],
        Delegate = true,
        KillMode = "process",
        LimitNoFile = 1048576,
        After = ["network.target", "local-fs.target"],
        Wants = [],
        Environment = [new("GOTRACEBACK", "crash")],
        EnvironmentFiles = ["-/etc/default/runtime"],
        ExecStartPre = [new SystemdCommand(["/sbin/modprobe", "overlay"], IgnoreFailure: true), new SystemdCommand(["/bin/mkdir", "-p", "/run/runtime"])],
        DropIns =
        [
            new SystemdDropIn
            {
                Name = "10-kubes",
                Environment = [new("HTTPS_PROXY", "http://proxy:3128"), new("NO_PROXY", "10.0.0.0/8,.svc")],
                EnvironmentFiles = ["/etc/kubes/runtime.env"],
                ExecStart = ["/usr/local/bin/runtime", "--config=/etc/runtime/config.toml", "--log-level=debug"],
            },
        ],
    };

    [Fact]
    public void A_unit_with_what_containerd_and_kubelet_need_is_the_golden_file()
    {
        var unit = RuntimeLike();

        Golden.AssertMatches("runtime.service", unit.Render());
        Golden.AssertMatches("runtime.service.d-10-kubes.conf", unit.DropIns[0].Render());
    }

    [Fact]
    public void A_unit_and_its_drop_ins_read_back_as_systemd_applies_them()
    {
        var unit = RuntimeLike();

        var parsed = SystemdUnit.Parse(unit.Name, unit.Render(), [unit.DropIns[0].Render()]);

        Assert.True(parsed.Delegate);
        Assert.Equal("process", parsed.KillMode);
        Assert.Equal(1048576, parsed.LimitNoFile);
        Assert.Equal(unit.DropIns[0].ExecStart, parsed.ExecStart);
        Assert.Equal(unit.ExecStartPre, parsed.ExecStartPre, (a, b) => a.Words.SequenceEqual(b.Words) && a.IgnoreFailure == b.IgnoreFailure);
        Assert.Equal(["-/etc/default/runtime", "/etc/kubes/runtime.env"], parsed.EnvironmentFiles);
        Assert.Equal([new("GOTRACEBACK", "crash"), new("HTTPS_PROXY", "http://proxy:3128"), new("NO_PROXY", "10.0.0.0/8,.svc")],
            parsed.Environment);
    }

    [Fact]
    public void An_empty_assignment_in_a_drop_in_clears_a_list_and_a_later_value_replaces_an_earlier_one()
    {
        var parsed = SystemdUnit.Parse("x", RuntimeLike().Render(),
            ["[Service]\nExecStartPre=\nEnvironment=\nEnvironment=A=1\nKillMode=mixed\n", "[Service]\nEnvironment=A=2\n"]);

        Assert.Empty(parsed.ExecStartPre);
        Assert.Equal([new("A", "2")], parsed.Environment);
        Assert.Equal("mixed", parsed.KillMode);
    }
}
