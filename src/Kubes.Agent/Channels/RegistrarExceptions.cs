using Grpc.Core;

namespace Kubes.Agent.Channels;

public abstract class RegistrarException(string message, Exception? inner) : Exception(message, inner);

/// <summary>The coordinator (or the mailbox) could not be reached, or answered that it cannot answer now: retry.</summary>
public sealed class RegistrarUnavailableException(string message, Exception? inner = null)
    : RegistrarException(message, inner);

/// <summary>The coordinator refused the request: retrying the same request will not help.</summary>
public sealed class RegistrarRefusedException(StatusCode code, string reason)
    : RegistrarException($"the coordinator refused: {code}: {reason}", null)
{
    public StatusCode Code { get; } = code;
    public string Reason { get; } = reason;
}

/// <summary>One mapping from a gRPC status, whichever channel carried it, to the agent's two kinds of failure.</summary>
public static class RegistrarStatus
{
    public static bool IsPermanent(StatusCode code) => code is
        StatusCode.InvalidArgument or StatusCode.PermissionDenied or StatusCode.Unauthenticated or
        StatusCode.NotFound or StatusCode.AlreadyExists or StatusCode.FailedPrecondition or
        StatusCode.OutOfRange or StatusCode.Unimplemented;

    public static RegistrarException ToException(StatusCode code, string detail, string where, Exception? inner = null) =>
        IsPermanent(code)
            ? new RegistrarRefusedException(code, detail)
            : new RegistrarUnavailableException($"{where}: {code}: {detail}", inner);

    /// <summary>A <see cref="Kubes.Protos.V1.MailboxError"/> carries the status code's name, e.g. <c>PermissionDenied</c>.</summary>
    public static RegistrarException FromMailboxError(string codeName, string message, string where) =>
        Enum.TryParse<StatusCode>(codeName, ignoreCase: true, out var code) && Enum.IsDefined(code)
            ? ToException(code, message, where)
            : new RegistrarUnavailableException($"{where}: unknown error code '{codeName}': {message}");
}
