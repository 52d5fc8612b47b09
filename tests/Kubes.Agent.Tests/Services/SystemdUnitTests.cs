using CsCheck;
using Kubes.Agent.Services;

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
}
