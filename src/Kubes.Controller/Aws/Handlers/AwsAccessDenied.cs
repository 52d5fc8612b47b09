using Amazon.Runtime;
using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Aws.Handlers;

/// <summary>AWS refusing a call for lack of permission, said the way an operator can act on: the action, the resource
/// and what to grant. The SDK's own message ("You are not authorized to perform this operation") names neither.</summary>
public static class AwsAccessDenied
{
    private static readonly HashSet<string> Codes = new(StringComparer.Ordinal)
    {
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess", "AuthorizationError",
    };

    public static bool Is(AmazonServiceException error) => error.ErrorCode is { } code && Codes.Contains(code);

    /// <summary>The refusal as an <see cref="AwsServiceException"/> naming the action (when the client reported it),
    /// <paramref name="resource"/>, and the permission to grant.</summary>
    public static AwsServiceException Describe(AmazonServiceException error, string resource)
    {
        var action = SdkCallReporter.FailedActionOf(error) ?? "an AWS action";
        var colon = action.IndexOf(':');
        return new AwsServiceException(colon > 0 ? action[..colon] : "aws", colon > 0 ? action[(colon + 1)..] : action, resource,
            error.ErrorCode, error.Message, error.RequestId, (int)error.StatusCode, innerException: error);
    }
}
