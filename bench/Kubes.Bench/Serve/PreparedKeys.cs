using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Kubes.Bench.Serve;

/// <summary>
/// An agent's ECDSA P-256 keys, made before the measured window: a real agent makes its keys on its own machine, so
/// their cost is not the coordinator's load, and the crowd shares the coordinator's cores. Keys beyond the prepared
/// ones (or of another algorithm) are made when asked for.
/// </summary>
public sealed class PreparedKeys : IDisposable
{
    /// <summary>A node asks for three certificates (kubelet client, kubelet serving, kube-proxy), an etcd member for one.</summary>
    public const int PerAgent = 3;

    private readonly ConcurrentQueue<ECDsa> _keys = new();

    public PreparedKeys()
    {
        for (var i = 0; i < PerAgent; i++) _keys.Enqueue(ECDsa.Create(ECCurve.NamedCurves.nistP256));
    }

    /// <summary>A prepared key when one is left; the caller disposes it.</summary>
    public ECDsa NextEcdsaP256() => _keys.TryDequeue(out var key) ? key : ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        while (_keys.TryDequeue(out var key)) key.Dispose();
    }
}
