using Grpc.Core;

namespace Kubes.Controller.Registrar;

/// <summary>
/// The registrar said no. Carries the gRPC status code both channels report (gRPC as the call's
/// status, the mailbox as <c>MailboxError.code</c>) and a message the agent's operator can act on.
/// </summary>
public sealed class RegistrationRefusedException : Exception
{
    public RegistrationRefusedException(StatusCode code, string message) : base(message)
    {
        Code = code;
    }

    public StatusCode Code { get; }
}
