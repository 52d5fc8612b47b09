namespace Kubes.Controller.Aws.Query;

/// <summary>
/// An AWS API call that failed: which service and action, on which resource, AWS's error code and message, its
/// request id and HTTP status (0 when no response arrived). <see cref="Exception.Message"/> says what to do next.
/// </summary>
public sealed class AwsServiceException : Exception
{
    private static readonly HashSet<string> NotFoundCodes = new(StringComparer.Ordinal)
    {
        "NoSuchEntity", "LoadBalancerNotFound", "TargetGroupNotFound", "ListenerNotFound", "RuleNotFound",
        "NotFound", "ResourceNotFound", "ResourceNotFoundException",
    };

    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "RequestThrottledException",
        "RequestLimitExceeded", "TooManyRequestsException", "ProvisionedThroughputExceededException",
        "SlowDown", "PriorRequestNotComplete", "BandwidthLimitExceeded", "EC2ThrottledException",
    };

    private static readonly HashSet<string> AccessDeniedCodes = new(StringComparer.Ordinal)
    {
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess", "AuthFailure",
    };

    private static readonly HashSet<string> CredentialCodes = new(StringComparer.Ordinal)
    {
        "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException",
        "UnrecognizedClientException", "IncompleteSignature", "MissingAuthenticationToken", "InvalidAccessKeyId",
    };

    private static readonly HashSet<string> DependencyConflictCodes = new(StringComparer.Ordinal)
    {
        "DeleteConflict", "ResourceInUse", "DependencyViolation", "ScalingActivityInProgress",
    };

    /// <summary>The code of a failure where no HTTP response arrived (connection refused, reset, timed out).</summary>
    public const string ConnectionFailureCode = "ConnectionFailure";

    public AwsServiceException(
        string service, string action, string resource, string code, string awsMessage, string? requestId,
        int httpStatus, int attempts = 1, Exception? innerException = null)
        : base(Describe(service, action, resource, code, awsMessage, requestId, httpStatus, attempts), innerException)
    {
        Service = service;
        Action = action;
        Resource = resource;
        Code = code;
        AwsMessage = awsMessage;
        RequestId = requestId;
        HttpStatus = httpStatus;
        Attempts = attempts;
    }

    public string Service { get; }
    public string Action { get; }
    /// <summary>What the call was about, e.g. <c>role kubes-demo-etcd</c>.</summary>
    public string Resource { get; }
    public string Code { get; }
    /// <summary>The message exactly as AWS sent it.</summary>
    public string AwsMessage { get; }
    public string? RequestId { get; }
    public int HttpStatus { get; }
    public int Attempts { get; }

    public bool IsNotFound => IsNotFoundError(Code, AwsMessage);
    public bool IsThrottling => IsThrottlingError(Code, HttpStatus);
    public bool IsAccessDenied => AccessDeniedCodes.Contains(Code);
    public bool IsCredentialProblem => CredentialCodes.Contains(Code);
    public bool IsConnectionFailure => Code == ConnectionFailureCode;
    /// <summary>Refused because something still uses or belongs to the resource (a role in a profile, a target group behind a listener).</summary>
    public bool IsDependencyConflict => DependencyConflictCodes.Contains(Code);

    /// <summary>Worth another attempt: throttled, a server-side failure, or no response at all.</summary>
    public bool IsRetryable => IsThrottling || HttpStatus >= 500 || IsConnectionFailure;

    internal static bool IsThrottlingError(string code, int httpStatus) =>
        ThrottlingCodes.Contains(code) || httpStatus == 429;

    // Auto Scaling reports a missing group as a ValidationError whose message says so.
    private static bool IsNotFoundError(string code, string message) =>
        NotFoundCodes.Contains(code) ||
        (code == "ValidationError" && message.Contains("not found", StringComparison.OrdinalIgnoreCase));

    private static string Describe(
        string service, string action, string resource, string code, string awsMessage, string? requestId,
        int httpStatus, int attempts)
    {
        var call = $"{service}:{action}";
        var reference = requestId is null ? $"HTTP {httpStatus}" : $"HTTP {httpStatus}, request id {requestId}";
        var what = $"AWS {call} on {resource} failed: {code}: {awsMessage} ({reference}).";
        string next;
        if (AccessDeniedCodes.Contains(code))
            next = $"The AWS identity running kubes may not call {call} on {resource}. Grant that identity " +
                   $"{call}, or run with credentials that have it (AWS_PROFILE).";
        else if (CredentialCodes.Contains(code))
            next = "AWS did not accept the credentials. Check AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY " +
                   "and AWS_SESSION_TOKEN (an expired session needs a new login), and the machine's clock.";
        else if (code == ConnectionFailureCode)
            next = $"No response after {attempts} attempt(s). Check the network and the endpoint " +
                   "(AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_<SERVICE> if set), then run the command again.";
        else if (IsThrottlingError(code, httpStatus) || httpStatus >= 500)
            next = $"AWS still refused after {attempts} attempt(s). Wait a minute and run the command again; " +
                   "it resumes where it stopped.";
        else if (IsNotFoundError(code, awsMessage))
            next = $"The {resource} does not exist (any more).";
        else if (DependencyConflictCodes.Contains(code))
            next = $"Something still depends on the {resource}; remove that first, or run the command again once AWS has finished with it.";
        else
            next = "Fix the cause named above and run the command again; it resumes where it stopped.";
        return what + " " + next;
    }
}
