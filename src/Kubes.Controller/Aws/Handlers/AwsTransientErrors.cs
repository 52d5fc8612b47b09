using Amazon.Runtime;
using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Aws.Handlers;

/// <summary>
/// Errors that go away on their own: throttling the SDK's retries did not outlast, and AWS's eventual consistency
/// (a just-created instance profile not yet usable by EC2, a just-created id not yet visible, a dependency still
/// being released during a destroy).
/// </summary>
public static class AwsTransientErrors
{
    private static readonly HashSet<string> Codes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "RequestLimitExceeded", "RequestThrottled", "TooManyRequestsException",
        "DependencyViolation", "IncorrectState", "IncorrectInstanceState", "InvalidIPAddress.InUse",
        "ResourceInUse", "ResourceInUseException", "DeleteConflict", "InternalError", "ServiceUnavailable",
    };

    public static bool IsTransient(Exception error) => error switch
    {
        AwsServiceException e => e.IsRetryable || e.IsDependencyConflict,
        AmazonServiceException e when e.ErrorCode is { } code && Codes.Contains(code) => true,
        // EC2 does not see a just-created instance profile or group for some seconds.
        AmazonServiceException e when e.ErrorCode == "InvalidParameterValue"
            && e.Message.Contains("iamInstanceProfile", StringComparison.OrdinalIgnoreCase) => true,
        AmazonServiceException e when e.ErrorCode?.EndsWith(".NotFound", StringComparison.Ordinal) == true => true,
        AmazonServiceException e => (int)e.StatusCode >= 500,
        HttpRequestException => true,
        _ => false,
    };
}
