using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Kubes.Controller.Local;

/// <summary>One instance's IMDSv2 session tokens: random, each valid for the TTL it was asked with.</summary>
internal sealed class MetadataTokens(TimeProvider time)
{
    public const int MinTtlSeconds = 1;
    public const int MaxTtlSeconds = 21600;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);

    public string Issue(int ttlSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ttlSeconds, MinTtlSeconds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ttlSeconds, MaxTtlSeconds);
        var now = time.GetUtcNow();
        foreach (var (expired, _) in _expiries.Where(t => t.Value <= now)) _expiries.TryRemove(expired, out _);
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(42)).Replace('+', '-').Replace('/', '_');
        _expiries[token] = now.AddSeconds(ttlSeconds);
        return token;
    }

    public bool IsValid(string? token) =>
        token is not null && _expiries.TryGetValue(token, out var expiry) && time.GetUtcNow() < expiry;
}
