using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Kubes.Protos.V1;

namespace Kubes.Bench.Serve;

/// <summary>
/// One agent's conversation over its own gRPC connection from its instance's private (loopback) address: Join with
/// its token, a fresh key and CSR for each certificate its role config lists, one Certify, one Report. It trusts the
/// coordinator only through the cluster's Kubernetes CA, as the real agent does. Its keys are made when it is created,
/// before the crowd's clock starts (<see cref="PreparedKeys"/>); each CSR is made after Join, from the role config.
/// </summary>
public sealed class SimulatedAgent : IDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly CrowdAgent _agent;
    private readonly GrpcChannel _channel;
    private readonly Kubes.Protos.V1.Registrar.RegistrarClient _client;
    private readonly PreparedKeys _keys = new();

    public SimulatedAgent(CrowdAgent agent, Uri coordinator, CoordinatorTrust trust)
    {
        _agent = agent;
        var source = IPAddress.Parse(agent.PrivateIp);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (context, cancellationToken) => ConnectFromAsync(source, context.DnsEndPoint, cancellationToken),
            SslOptions = { RemoteCertificateValidationCallback = trust.Callback },
        };
        _channel = GrpcChannel.ForAddress(coordinator, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        _client = new Kubes.Protos.V1.Registrar.RegistrarClient(_channel);
    }

    public async Task RunAsync(ConversationLatencies latencies)
    {
        var joined = await latencies.Join.TimeAsync(() => _client.JoinAsync(new JoinRequest
        {
            AgentVersion = "kubes-bench",
            Identity = new InstanceIdentity
            {
                Cluster = _agent.Cluster,
                InstanceId = _agent.InstanceId,
                PrivateIp = _agent.PrivateIp,
                AvailabilityZone = _agent.Zone,
                Role = (Role)_agent.Role,
                Slot = _agent.Slot,
                JoinToken = _agent.JoinToken,
            },
        }, Deadline()).ResponseAsync);
        if (joined is null) return;

        var certificates = joined.RoleConfig.Certificates;
        if (certificates.Count > 0)
        {
            var certify = new CertifyRequest { InstanceId = _agent.InstanceId, AgentCredential = joined.AgentCredential };
            var keys = new List<IDisposable>();
            foreach (var wanted in certificates)
            {
                var (key, csr) = NewKeyAndCsr(wanted, _keys);
                keys.Add(key);
                certify.Requests.Add(new CertificateSigningRequest { Identity = wanted.Identity, CsrPem = csr });
            }
            var issued = await latencies.Certify.TimeAsync(() => _client.CertifyAsync(certify, Deadline()).ResponseAsync);
            foreach (var key in keys) key.Dispose();
            if (issued is null) return;
            latencies.Issued(issued.Certificates.Count);
        }

        await latencies.Report.TimeAsync(() => _client.ReportAsync(new ReportRequest
        {
            InstanceId = _agent.InstanceId,
            AgentCredential = joined.AgentCredential,
            Report = new AgentReport { Phase = Phase.Ready, Step = "bench" },
        }, Deadline()).ResponseAsync);
    }

    public void Dispose()
    {
        _channel.Dispose();
        _keys.Dispose();
    }

    private static CallOptions Deadline() => new(deadline: DateTime.UtcNow.Add(CallTimeout));

    /// <summary>A private key on "the instance" and its CSR; only the CSR leaves.</summary>
    private static (IDisposable Key, string CsrPem) NewKeyAndCsr(CertificateRequestSpec wanted, PreparedKeys keys)
    {
        var subject = $"CN={wanted.Identity.Replace('/', '-')}";
        if (wanted.KeyAlgorithm == "ecdsa-p256")
        {
            var ec = keys.NextEcdsaP256();
            return (ec, new CertificateRequest(subject, ec, HashAlgorithmName.SHA256).CreateSigningRequestPem());
        }
        var bits = int.Parse(wanted.KeyAlgorithm["rsa-".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var rsa = RSA.Create(bits);
        return (rsa, new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequestPem());
    }

    /// <summary>The socket is bound to the instance's address first, so the coordinator sees that address as the peer.</summary>
    private static async ValueTask<Stream> ConnectFromAsync(IPAddress source, DnsEndPoint target, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(target, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
