using System.Security.Cryptography;

namespace Kubes.StandIns.ApiServer;

/// <summary>
/// What proves kube-apiserver's etcd settings: through the <see cref="EtcdGateway"/> (real mutual TLS), each
/// --etcd-servers member writes a key under --etcd-prefix and reads it back. Each member must have answered once before
/// the apiserver is ready; after that, one answering member keeps it ready, as a real etcd client balances over the
/// members.
/// </summary>
public sealed class EtcdStorage(EtcdGateway gateway, string prefix, string writer)
{
    private readonly HashSet<Uri> _proven = [];
    private readonly Dictionary<Uri, string?> _lastProblem = [];

    /// <summary>Whether every member answered once and one answered last time.</summary>
    public bool Ready { get; private set; }

    /// <summary>Each member's last result: null when it stored and returned the key.</summary>
    public IReadOnlyDictionary<Uri, string?> LastProblems => _lastProblem;

    /// <summary>One round: every member writes and reads its key.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        foreach (var member in gateway.Members)
        {
            var problem = await RoundTripAsync(member, cancellationToken);
            if (problem is null) _proven.Add(member);
            if (_lastProblem.GetValueOrDefault(member, "") != problem)
                Log.Info(problem is null ? $"etcd {member}: wrote and read {Key(member)}" : $"etcd {member}: {problem}");
            _lastProblem[member] = problem;
        }

        Ready = _proven.Count == gateway.Members.Count && _lastProblem.Values.Any(p => p is null);
    }

    private string Key(Uri member) => $"{prefix.TrimEnd('/')}/kubes-stand-in/{writer}/{member.Authority}";

    private async Task<string?> RoundTripAsync(Uri member, CancellationToken cancellationToken)
    {
        var key = Key(member);
        var value = $"{DateTimeOffset.UtcNow:O} {Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
        try
        {
            await gateway.PutAsync(key, value, member, cancellationToken);
            var read = (await gateway.RangeAsync(key, member: member, cancellationToken: cancellationToken)).Entries is [var entry] ? entry.Value : null;
            return read == value ? null : $"read back {(read is null ? "nothing" : $"'{read}'")} for {key}, where '{value}' was written";
        }
        catch (EtcdException e)
        {
            return e.Reached ? e.Message : $"cannot reach it: {e.Message}";
        }
    }
}
