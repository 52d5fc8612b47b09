using System.Security.Cryptography;
using System.Text;
using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Aws.Handlers;

/// <summary>EC2 idempotency tokens: the same (cluster, resource, generation) always yields the same token, so a
/// create retried after a crash returns the resource the first attempt made instead of a duplicate.</summary>
public static class ClientTokens
{
    public static string For(string cluster, ResourceKey key, int generation = 0)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{cluster}|{key}|{generation}"));
        return $"kubes-{Convert.ToHexStringLower(hash)[..48]}";
    }
}
