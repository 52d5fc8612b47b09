using Microsoft.Extensions.Logging;

namespace Kubes.Controller.Registrar;

/// <summary>
/// One short line per refused request, naming the peer, the status and the reason, and never more than a budget of
/// lines per peer and in all per minute: a client that sends a flood of bad requests costs the log a few lines and one
/// count of what was left out, not a line (or a stack trace) each. Peers are counted per minute and forgotten after it,
/// so the table stays small whatever the number of addresses a flood comes from.
/// </summary>
public sealed class RefusalLog
{
    public const int LinesPerPeerPerMinute = 10;
    public const int LinesPerMinute = 100;
    public const int MaxReasonChars = 400;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _linesByPeer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _suppressedByPeer = new(StringComparer.Ordinal);
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _lines;
    private int _suppressed;

    public RefusalLog(ILogger logger, TimeProvider? time = null)
    {
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Logs "Refused {what} from {peer}: {code}: {reason}" unless the peer's or the minute's budget is spent.</summary>
    /// <param name="peer">The caller's address, or the mailbox folder a request came from.</param>
    /// <param name="what">What was refused, e.g. "join for instance i-0123…" or "/kubes.v1.Registrar/Join".</param>
    public void Refused(string peer, string what, Grpc.Core.StatusCode code, string reason)
    {
        if (!Admit(peer)) return;
        _logger.LogWarning("Refused {What} from {Peer}: {Code}: {Reason}", what, peer, code.ToString(), Shorten(reason));
    }

    public static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= MaxReasonChars ? line : line[..MaxReasonChars] + "…";
    }

    private bool Admit(string peer)
    {
        (int Count, string Peer, int Most)? summary = null;
        bool admitted;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (now - _windowStart >= Window)
            {
                if (_suppressed > 0)
                {
                    var (top, most) = _suppressedByPeer.MaxBy(p => p.Value);
                    summary = (_suppressed, top, most);
                }
                _windowStart = now;
                _lines = 0;
                _suppressed = 0;
                _linesByPeer.Clear();
                _suppressedByPeer.Clear();
            }
            var peerLines = _linesByPeer.GetValueOrDefault(peer);
            admitted = peerLines < LinesPerPeerPerMinute && _lines < LinesPerMinute;
            if (admitted)
            {
                _linesByPeer[peer] = peerLines + 1;
                _lines++;
            }
            else
            {
                _suppressed++;
                // Count by peer only while the table is small; past that, the total says enough.
                if (_suppressedByPeer.Count < LinesPerMinute || _suppressedByPeer.ContainsKey(peer))
                    _suppressedByPeer[peer] = _suppressedByPeer.GetValueOrDefault(peer) + 1;
            }
        }
        if (summary is { } left)
        {
            _logger.LogWarning("Left {Count} refusal line(s) out of the log in the last minute ({Most} from {Peer})",
                left.Count, left.Most, left.Peer);
        }
        return admitted;
    }
}
