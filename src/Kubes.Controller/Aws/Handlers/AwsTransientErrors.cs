using Amazon.Runtime;
using Kubes.Controller.Aws.Query;
using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Aws.Handlers;

/// <summary>
/// Which AWS errors go away on their own. Transient: throttling the SDK's retries did not outlast, and AWS's eventual
/// consistency (a just-created instance profile not yet usable by EC2, a just-created id not yet visible). Releasing:
/// a dependency AWS is still letting go of — a deleted load balancer's network interfaces hold its subnets and
/// security group for minutes, a terminating instance holds its volume and its address.
/// </summary>
public static class AwsTransientErrors
{
    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "RequestLimitExceeded", "RequestThrottled", "TooManyRequestsException",
        "IncorrectState", "IncorrectInstanceState",
        "ResourceInUse", "ResourceInUseException", "DeleteConflict", "InternalError", "ServiceUnavailable",
        // A launch resumed after a crash carries new user-data under the interrupted launch's client token while that
        // launch's instance is not yet visible to the describe by tag: the next attempt's describe adopts it.
        "IdempotentParameterMismatch",
    };

    private static readonly HashSet<string> ReleasingCodes = new(StringComparer.Ordinal)
    {
        "DependencyViolation", "VolumeInUse",
        // A replacement launched at its slot's address while the old instance is still shutting down.
        "InvalidIPAddress.InUse",
    };

    public static FailureKind Classify(Exception error) => error switch
    {
        AwsServiceException { Code: "DependencyViolation" } => FailureKind.Releasing,
        AwsServiceException e when e.IsRetryable || e.IsDependencyConflict => FailureKind.Transient,
        AmazonServiceException e when e.ErrorCode is { } code && ReleasingCodes.Contains(code) => FailureKind.Releasing,
        AmazonServiceException e when e.ErrorCode is { } code && TransientCodes.Contains(code) => FailureKind.Transient,
        // EC2 does not see a just-created instance profile or group for some seconds.
        AmazonServiceException e when e.ErrorCode == "InvalidParameterValue"
            && e.Message.Contains("iamInstanceProfile", StringComparison.OrdinalIgnoreCase) => FailureKind.Transient,
        AmazonServiceException e when e.ErrorCode?.EndsWith(".NotFound", StringComparison.Ordinal) == true => FailureKind.Transient,
        AmazonServiceException e when (int)e.StatusCode >= 500 => FailureKind.Transient,
        HttpRequestException => FailureKind.Transient,
        _ => FailureKind.Permanent,
    };
}
