namespace Kubes.Controller.Aws.Query;

/// <summary>One AWS API request as the observers see it: each page of a list is its own call; SDK and Query retries are not.</summary>
public sealed record AwsCall(string Service, string Action, bool Mutating)
{
    private static readonly string[] ReadOnlyPrefixes = ["Describe", "List", "Get", "Head", "Lookup", "Search"];

    /// <summary>AWS names every read-only action with one of a few verbs; anything else changes the world.</summary>
    public static AwsCall For(string service, string action) =>
        new(service, action, !ReadOnlyPrefixes.Any(prefix => action.StartsWith(prefix, StringComparison.Ordinal)));
}
