using System.Diagnostics.CodeAnalysis;

namespace Kubes.Protos.Contract;

/// <summary>
/// Where mailbox objects live, relative to the state store's root (the bucket's prefix): an agent writes
/// <c>mailbox/requests/&lt;instance-id&gt;/&lt;request-id&gt;.pb</c>; the coordinator answers at
/// <c>mailbox/responses/&lt;instance-id&gt;/&lt;request-id&gt;.pb</c>; a coordinator working on a request holds
/// <c>mailbox/claims/&lt;instance-id&gt;/&lt;request-id&gt;.json</c>.
/// </summary>
public static class MailboxKeys
{
    public const string RequestsFolder = "mailbox/requests/";
    public const string ResponsesFolder = "mailbox/responses/";
    public const string ClaimsFolder = "mailbox/claims/";
    public const string Extension = ".pb";
    public const int MaxRequestIdLength = 64;

    public static string Request(string instanceId, string requestId) => $"{RequestsFolder}{instanceId}/{requestId}{Extension}";

    public static string Response(string instanceId, string requestId) => $"{ResponsesFolder}{instanceId}/{requestId}{Extension}";

    public static string Claim(string instanceId, string requestId) => $"{ClaimsFolder}{instanceId}/{requestId}.json";

    /// <summary>A key under a bucket prefix (<c>kubes/demo</c>, with or without slashes around it, or none).</summary>
    public static string UnderPrefix(string prefix, string key)
    {
        var trimmed = prefix.Trim('/');
        return trimmed.Length == 0 ? key : $"{trimmed}/{key}";
    }

    /// <summary>Request ids are chosen by agents: letters, digits, '_' and '-', at most 64.</summary>
    public static bool IsValidRequestId(string? requestId) =>
        !string.IsNullOrEmpty(requestId)
        && requestId.Length <= MaxRequestIdLength
        && requestId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    /// <summary>The instance and request ids of a request key, when it is one.</summary>
    public static bool TryParseRequest(string key, [NotNullWhen(true)] out string? instanceId,
        [NotNullWhen(true)] out string? requestId)
    {
        instanceId = requestId = null;
        if (!key.StartsWith(RequestsFolder, StringComparison.Ordinal) || !key.EndsWith(Extension, StringComparison.Ordinal))
        {
            return false;
        }
        var parts = key[RequestsFolder.Length..^Extension.Length].Split('/');
        if (parts.Length != 2 || !InstanceIds.IsValid(parts[0]) || !IsValidRequestId(parts[1])) return false;
        (instanceId, requestId) = (parts[0], parts[1]);
        return true;
    }
}
