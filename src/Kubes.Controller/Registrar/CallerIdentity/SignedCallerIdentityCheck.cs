using System.Globalization;
using Grpc.Core;
using Kubes.Protos.V1;

namespace Kubes.Controller.Registrar.CallerIdentity;

/// <summary>
/// What the registrar requires of a proof before it is replayed to STS: exactly the GetCallerIdentity body, a SigV4
/// signature whose signed headers include this cluster's name and nothing unexpected, and a fresh signing date. STS
/// then checks that the signature covers exactly these bytes.
/// </summary>
public static class SignedCallerIdentityCheck
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(15);

    private const int MaxHeaders = 16;
    private const int MaxHeaderChars = 8 * 1024;

    /// <summary>The headers STS may see, besides Authorization; host and content-length come from the replay itself.</summary>
    private static readonly HashSet<string> AllowedSignedHeaders = new(StringComparer.Ordinal)
    {
        "content-length", "content-type", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token",
        CallerIdentityProof.ClusterHeader,
    };

    private static readonly string[] RequiredSignedHeaders = ["host", "x-amz-date", CallerIdentityProof.ClusterHeader];

    /// <summary>The headers to replay (by lower-case name), or a refusal naming what is wrong.</summary>
    public static IReadOnlyDictionary<string, string> Check(SignedCallerIdentity proof, string cluster, DateTimeOffset now)
    {
        if (proof.Headers.Count > MaxHeaders || proof.Headers.Any(h => h.Key.Length + h.Value.Length > MaxHeaderChars))
            throw Refuse(StatusCode.InvalidArgument, $"the caller identity proof has more than {MaxHeaders} headers or one over {MaxHeaderChars} characters");
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in proof.Headers)
        {
            if (!headers.TryAdd(name.ToLowerInvariant(), value))
                throw Refuse(StatusCode.InvalidArgument, $"the caller identity proof names header '{name}' twice");
        }
        if (proof.Body.ToStringUtf8() != CallerIdentityProof.Body)
            throw Refuse(StatusCode.PermissionDenied,
                $"the caller identity proof's body is not '{CallerIdentityProof.Body}': only sts:GetCallerIdentity is replayed");

        var signedHeaders = SignedHeadersOf(headers.GetValueOrDefault("authorization"));
        if (signedHeaders.FirstOrDefault(h => !AllowedSignedHeaders.Contains(h)) is { } unexpected)
            throw Refuse(StatusCode.PermissionDenied, $"the caller identity proof signs header '{unexpected}', which kubes does not replay");
        if (RequiredSignedHeaders.FirstOrDefault(h => !signedHeaders.Contains(h)) is { } missing)
            throw Refuse(StatusCode.PermissionDenied, $"the caller identity proof's signature does not cover header '{missing}'");
        if (signedHeaders.FirstOrDefault(h => h is not ("host" or "content-length") && !headers.ContainsKey(h)) is { } absent)
            throw Refuse(StatusCode.InvalidArgument, $"the caller identity proof signs header '{absent}' but does not carry it");

        var claimedCluster = headers.GetValueOrDefault(CallerIdentityProof.ClusterHeader);
        if (claimedCluster != cluster)
            throw Refuse(StatusCode.PermissionDenied,
                $"the caller identity proof was signed for cluster '{claimedCluster}', not '{cluster}'");

        if (!DateTimeOffset.TryParseExact(headers.GetValueOrDefault("x-amz-date"), "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
            throw Refuse(StatusCode.InvalidArgument, "the caller identity proof has no X-Amz-Date in yyyyMMddTHHmmssZ form");
        if ((now - signedAt).Duration() > MaxAge)
            throw Refuse(StatusCode.Unauthenticated,
                $"the caller identity proof was signed at {signedAt:u}, more than {MaxAge.TotalMinutes:0} minutes from now ({now:u}): " +
                "the agent signs a fresh one on every join; check the instance's clock");

        return signedHeaders.Where(h => h is not ("host" or "content-length")).Append("authorization")
            .ToDictionary(h => h, h => headers[h], StringComparer.Ordinal);
    }

    /// <summary>The SignedHeaders of a SigV4 Authorization header.</summary>
    private static HashSet<string> SignedHeadersOf(string? authorization)
    {
        const string scheme = "AWS4-HMAC-SHA256 ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.Ordinal))
            throw Refuse(StatusCode.InvalidArgument, "the caller identity proof carries no AWS4-HMAC-SHA256 Authorization header");
        var signed = authorization[scheme.Length..].Split(',', StringSplitOptions.TrimEntries)
            .FirstOrDefault(part => part.StartsWith("SignedHeaders=", StringComparison.Ordinal));
        if (signed is null)
            throw Refuse(StatusCode.InvalidArgument, "the caller identity proof's Authorization header names no SignedHeaders");
        return [.. signed["SignedHeaders=".Length..].Split(';')];
    }

    private static RegistrationRefusedException Refuse(StatusCode code, string message) => new(code, message);
}
