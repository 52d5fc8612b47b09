using Grpc.Core;
using Kubes.Controller.Registrar;
using Kubes.Controller.Tests.Registrar.Support;
using Microsoft.Extensions.Logging;

namespace Kubes.Controller.Tests.Registrar;

public sealed class RefusalLogTests
{
    private readonly ManualClock _clock = new();
    private readonly RecordingLogger<RefusalLogTests> _logger = new();
    private readonly RefusalLog _log;

    public RefusalLogTests()
    {
        _log = new RefusalLog(_logger, _clock);
    }

    [Fact]
    public void A_refusal_is_one_line_with_the_peer_the_status_and_the_reason()
    {
        _log.Refused("127.0.0.9", "join for instance i-1", StatusCode.PermissionDenied, "claims role node\n  but is etcd");

        var (level, message) = Assert.Single(_logger.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Equal("Refused join for instance i-1 from 127.0.0.9: PermissionDenied: claims role node   but is etcd", message);
    }

    [Fact]
    public void A_flood_from_one_peer_costs_its_budget_then_one_summary_line()
    {
        for (var i = 0; i < 10_000; i++) _log.Refused("127.0.0.9", "/kubes.v1.Registrar/Join", StatusCode.InvalidArgument, "garbage");
        _clock.Advance(TimeSpan.FromMinutes(1));
        _log.Refused("127.0.0.10", "/kubes.v1.Registrar/Join", StatusCode.InvalidArgument, "garbage");

        Assert.Equal(RefusalLog.LinesPerPeerPerMinute + 2, _logger.Entries.Count);
        Assert.Contains(_logger.Entries, e => e.Message == $"Left {10_000 - RefusalLog.LinesPerPeerPerMinute} refusal line(s) out of the log " +
                                             "in the last minute (9990 from 127.0.0.9)");
    }

    [Fact]
    public void Many_peers_together_stay_within_the_minute_budget_and_others_still_get_their_lines_a_minute_later()
    {
        for (var peer = 0; peer < 1000; peer++) _log.Refused($"127.1.{peer / 256}.{peer % 256}", "x", StatusCode.InvalidArgument, "garbage");
        Assert.Equal(RefusalLog.LinesPerMinute, _logger.Entries.Count);

        _clock.Advance(TimeSpan.FromMinutes(1));
        _log.Refused("127.0.0.5", "x", StatusCode.PermissionDenied, "late");
        Assert.Contains(_logger.Entries, e => e.Message.Contains("from 127.0.0.5", StringComparison.Ordinal));
    }

    [Fact]
    public void A_long_reason_is_cut_short()
    {
        _log.Refused("127.0.0.9", "x", StatusCode.InvalidArgument, new string('a', 10_000));
        Assert.True(Assert.Single(_logger.Entries).Message.Length < RefusalLog.MaxReasonChars + 100);
    }
}
