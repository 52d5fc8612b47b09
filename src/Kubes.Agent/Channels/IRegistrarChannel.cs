using Kubes.Protos.V1;

namespace Kubes.Agent.Channels;

/// <summary>
/// The agent's side of the one protocol: Join, Certify, Report, over gRPC or the S3 mailbox. Every
/// implementation throws <see cref="RegistrarUnavailableException"/> when the coordinator could not be
/// reached or asked to retry, and <see cref="RegistrarRefusedException"/> when it said no.
/// </summary>
public interface IRegistrarChannel
{
    Task<JoinResponse> JoinAsync(JoinRequest request, CancellationToken cancellationToken);

    Task<CertifyResponse> CertifyAsync(CertifyRequest request, CancellationToken cancellationToken);

    Task<ReportResponse> ReportAsync(ReportRequest request, CancellationToken cancellationToken);
}
