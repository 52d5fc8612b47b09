using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Grpc.Core;
using Kubes.Agent.Channels;
using Kubes.Agent.Conversation;
using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Support;

/// <summary>
/// The coordinator's side as the tests need it: a single-use token, a credential, CSRs signed by a test
/// CA with names from the RoleConfig (never from the CSR), reports recorded; a re-join with the agent credential
/// answers the configuration as <c>roleConfigFor</c> gives it then. Refusals are RpcExceptions,
/// as a real gRPC service throws them.
/// </summary>
public sealed class TestRegistrar(TestCertificateAuthority ca, string joinToken, Func<InstanceIdentity, RoleConfig> roleConfigFor)
{
    private readonly ConcurrentDictionary<string, (string Credential, RoleConfig Config)> _joined = new();
    private int _tokenUsed;

    public ConcurrentQueue<ReportRequest> Reports { get; } = new();
    public ConcurrentQueue<CertifyRequest> CertifyRequests { get; } = new();
    public int JoinCount;
    public int RejoinCount;
    /// <summary>How long the certificates it signs are valid from the moment they are signed; 7 days unless set.</summary>
    public TimeSpan? CertificateLifetime { get; set; }
    /// <summary>Called before a re-join is answered, so a test can change what the coordinator serves.</summary>
    public Action? Rejoining { get; set; }
    /// <summary>The config_hash the coordinator tells an instance (by id) in the answer to each report; null tells nothing.</summary>
    public Func<string, string>? DesiredConfigHash { get; set; }

    /// <summary>The role configuration last handed to an instance.</summary>
    public RoleConfig ConfigOf(string instanceId) => _joined[instanceId].Config;

    public Task<JoinResponse> Join(JoinRequest request)
    {
        Interlocked.Increment(ref JoinCount);
        if (_joined.TryGetValue(request.Identity.InstanceId, out var joined) && request.Identity.JoinToken == joined.Credential)
        {
            // A re-join with the agent credential: the configuration as it is now.
            Interlocked.Increment(ref RejoinCount);
            Rejoining?.Invoke();
            var current = roleConfigFor(request.Identity);
            current.ConfigHash = current.ComputeConfigHash();
            _joined[request.Identity.InstanceId] = (joined.Credential, current);
            return Task.FromResult(new JoinResponse { AgentCredential = joined.Credential, RoleConfig = current });
        }

        if (request.Identity.JoinToken != joinToken || Interlocked.Exchange(ref _tokenUsed, 1) == 1)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "the join token is used, expired or foreign"));
        }

        var config = roleConfigFor(request.Identity);
        config.ConfigHash = config.ComputeConfigHash();
        var credential = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _joined[request.Identity.InstanceId] = (credential, config);
        return Task.FromResult(new JoinResponse { AgentCredential = credential, RoleConfig = config });
    }

    public Task<CertifyResponse> Certify(CertifyRequest request)
    {
        var config = Authenticate(request.InstanceId, request.AgentCredential);
        CertifyRequests.Enqueue(request);
        var response = new CertifyResponse();
        foreach (var csr in request.Requests)
        {
            using var certificate = CertificateLifetime is { } lifetime
                ? ca.Sign(csr.CsrPem, csr.Identity, [IPAddress.Parse(config.PrivateIp), IPAddress.Loopback], lifetime: lifetime,
                    backdate: TimeSpan.Zero)
                : ca.Sign(csr.CsrPem, csr.Identity, [IPAddress.Parse(config.PrivateIp), IPAddress.Loopback]);
            response.Certificates.Add(new IssuedCertificate
            {
                Identity = csr.Identity,
                CertificatePem = certificate.ExportCertificatePem(),
                CaPem = ca.CertificatePem,
                NotAfter = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(certificate.NotAfter.ToUniversalTime()),
            });
        }

        return Task.FromResult(response);
    }

    public Task<ReportResponse> Report(ReportRequest request)
    {
        Authenticate(request.InstanceId, request.AgentCredential);
        Reports.Enqueue(request);
        return Task.FromResult(new ReportResponse { DesiredConfigHash = DesiredConfigHash?.Invoke(request.InstanceId) ?? "" });
    }

    private RoleConfig Authenticate(string instanceId, string credential) =>
        _joined.TryGetValue(instanceId, out var joined) && joined.Credential == credential
            ? joined.Config
            : throw new RpcException(new Status(StatusCode.Unauthenticated, $"no agent credential for {instanceId}"));

    /// <summary>The registrar called in-process, through the same status mapping the channels use.</summary>
    public IRegistrarChannel AsChannel() => new InProcess(this);

    private sealed class InProcess(TestRegistrar registrar) : IRegistrarChannel
    {
        public Task<JoinResponse> JoinAsync(JoinRequest request, CancellationToken cancellationToken) => Call(() => registrar.Join(request));

        public Task<CertifyResponse> CertifyAsync(CertifyRequest request, CancellationToken cancellationToken) =>
            Call(() => registrar.Certify(request));

        public Task<ReportResponse> ReportAsync(ReportRequest request, CancellationToken cancellationToken) =>
            Call(() => registrar.Report(request));

        private static async Task<T> Call<T>(Func<Task<T>> call)
        {
            try
            {
                return await call();
            }
            catch (RpcException e)
            {
                throw RegistrarStatus.ToException(e.StatusCode, e.Status.Detail, "in-process registrar");
            }
        }
    }
}

/// <summary>The test registrar as a gRPC service.</summary>
public sealed class TestRegistrarService(TestRegistrar registrar) : Registrar.RegistrarBase
{
    public override Task<JoinResponse> Join(JoinRequest request, ServerCallContext context) => registrar.Join(request);

    public override Task<CertifyResponse> Certify(CertifyRequest request, ServerCallContext context) => registrar.Certify(request);

    public override Task<ReportResponse> Report(ReportRequest request, ServerCallContext context) => registrar.Report(request);
}
