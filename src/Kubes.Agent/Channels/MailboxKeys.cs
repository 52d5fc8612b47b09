namespace Kubes.Agent.Channels;

/// <summary>Where requests and responses live in the state store's bucket: the contract both sides share.</summary>
public static class MailboxKeys
{
    public static string Request(string prefix, string instanceId, string requestId) =>
        $"{Root(prefix)}mailbox/requests/{instanceId}/{requestId}.pb";

    public static string Response(string prefix, string instanceId, string requestId) =>
        $"{Root(prefix)}mailbox/responses/{instanceId}/{requestId}.pb";

    private static string Root(string prefix)
    {
        var trimmed = prefix.Trim('/');
        return trimmed.Length == 0 ? "" : trimmed + "/";
    }
}
