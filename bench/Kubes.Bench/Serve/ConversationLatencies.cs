namespace Kubes.Bench.Serve;

/// <summary>The latencies of every agent's calls, by kind.</summary>
public sealed class ConversationLatencies
{
    public CallLatencies Join { get; } = new();
    public CallLatencies Certify { get; } = new();
    public CallLatencies Report { get; } = new();

    private int _certificates;

    public int CertificatesIssued => _certificates;

    public void Issued(int count) => Interlocked.Add(ref _certificates, count);
}
