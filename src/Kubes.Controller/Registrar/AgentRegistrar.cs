using Kubes.Protos.Contract;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Kubes.Controller.Components.KubeApiServer;
using Kubes.Controller.Registrar.CallerIdentity;
using Kubes.Controller.State;
using Kubes.Controller.Status;
using Kubes.Controller.Topology;
using Kubes.Protos.Ssh;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Controller.Registrar;

/// <summary>
/// Decides who an agent is, hands it its role configuration, signs the CSRs its slot is entitled
/// to (a renewal exactly like a first request), records every certificate it hands out and records its reports. Channel-agnostic: gRPC passes the peer address, the S3 mailbox
/// passes none. Every refusal is a <see cref="RegistrationRefusedException"/>, logged with its reason.
/// </summary>
public sealed class AgentRegistrar
{
    private readonly ClusterTopology _topology;
    private readonly InstanceVerifier _verifier;
    private readonly JoinTokenStore _tokens;
    private readonly AgentCredentialStore _credentials;
    private readonly IRoleConfigSource _roleConfigs;
    private readonly DesiredConfigTell _tell;
    private readonly ICertificateIssuer _issuer;
    private readonly IssuanceRecord _issued;
    private readonly CallerIdentityVerifier? _callerIdentity;
    private readonly SshHostCertificateIssuer? _sshHosts;
    private readonly ServiceAccountPublicKeys? _serviceAccountKeys;
    private readonly StatusHub _status;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RefusalLog _refusals;

    public AgentRegistrar(
        ClusterTopology topology,
        IInstanceDirectory directory,
        JoinTokenStore tokens,
        AgentCredentialStore credentials,
        IRoleConfigSource roleConfigs,
        ICertificateIssuer issuer,
        IssuanceRecord issued,
        StatusHub status,
        ILogger<AgentRegistrar>? logger = null,
        TimeProvider? time = null,
        CallerIdentityVerifier? callerIdentity = null,
        SshHostCertificateIssuer? sshHosts = null,
        ServiceAccountPublicKeys? serviceAccountKeys = null)
    {
        _topology = topology;
        _verifier = new InstanceVerifier(topology, directory);
        _tokens = tokens;
        _credentials = credentials;
        _roleConfigs = roleConfigs;
        _issuer = issuer;
        _issued = issued;
        _callerIdentity = callerIdentity;
        _sshHosts = sshHosts;
        _serviceAccountKeys = serviceAccountKeys;
        _status = status;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<AgentRegistrar>.Instance;
        _refusals = new RefusalLog(_logger, _time);
        _tell = new DesiredConfigTell(roleConfigs, _verifier, _logger);
    }

    /// <summary>The registrar with its stores in <paramref name="store"/> and etcd-ready role configs.</summary>
    /// <param name="callerIdentity">Checks the STS proof of Auto Scaling nodes; null (no AWS) refuses such proofs.</param>
    /// <param name="sshHosts">Certifies SSH host keys; null refuses them.</param>
    public static AgentRegistrar Create(ClusterTopology topology, IStateStore store, IInstanceDirectory directory,
        ICertificateIssuer issuer, StatusHub status, ILoggerFactory? loggers = null, TimeProvider? time = null,
        IRoleConfigSource? roleConfigs = null, CallerIdentityVerifier? callerIdentity = null,
        SshHostCertificateIssuer? sshHosts = null) =>
        new(topology, directory,
            new JoinTokenStore(store, topology.Spec.Name, time),
            new AgentCredentialStore(store, time),
            roleConfigs ?? new TopologyRoleConfigSource(topology),
            issuer, new IssuanceRecord(store), status,
            (loggers ?? NullLoggerFactory.Instance).CreateLogger<AgentRegistrar>(),
            time, callerIdentity, sshHosts, new ServiceAccountPublicKeys(store));

    /// <summary>The cluster this registrar answers for.</summary>
    public ClusterTopology Topology => _topology;

    private string Cluster => _topology.Spec.Name;

    /// <summary>
    /// Identity proof -> credential and role configuration. The proof in <c>identity.join_token</c>
    /// is a join token (kjt_…) on first join, or the agent's own credential (kac_…) to re-join. A node of
    /// an Auto Scaling group joins first with no token but <c>identity.caller_identity</c>, checked with STS.
    /// </summary>
    public Task<JoinResponse> JoinAsync(JoinRequest request, PeerInfo? peer, CancellationToken cancellationToken = default) =>
        Guarded("join", request.Identity?.InstanceId, peer, () => JoinCoreAsync(request, peer, cancellationToken));

    /// <summary>CSRs -> certificates, for the identities the agent's slot is entitled to; all or nothing.</summary>
    public Task<CertifyResponse> CertifyAsync(CertifyRequest request, PeerInfo? peer,
        CancellationToken cancellationToken = default) =>
        Guarded("certify", request.InstanceId, peer, () => CertifyCoreAsync(request, peer, cancellationToken));

    /// <summary>Stores the agent's latest report and publishes it to watchers; answers the config_hash it is to run.</summary>
    public Task<ReportResponse> ReportAsync(ReportRequest request, PeerInfo? peer,
        CancellationToken cancellationToken = default) =>
        Guarded("report", request.InstanceId, peer, () => ReportCoreAsync(request, peer, cancellationToken));

    private async Task<JoinResponse> JoinCoreAsync(JoinRequest request, PeerInfo? peer, CancellationToken cancellationToken)
    {
        CheckSize(request);
        var identity = request.Identity ?? throw Invalid("the join request has no identity");
        CheckInstanceId(identity.InstanceId);
        if (identity.Cluster != Cluster)
        {
            throw new RegistrationRefusedException(StatusCode.PermissionDenied,
                $"this coordinator serves cluster '{Cluster}', not '{identity.Cluster}'");
        }
        if (!ProtoRoles.TryFromProto(identity.Role, out var role)) throw Invalid($"the claimed role {identity.Role} is not a role");
        if (identity.Slot is < 0 or > RegistrarLimits.MaxSlotIndex) throw Invalid($"the claimed slot {identity.Slot} is out of range");
        var proof = identity.JoinToken;
        if (proof.Length > RegistrarLimits.MaxSecretChars) throw Invalid("the join token is longer than any kubes token");
        VerifiedInstance instance;
        string credential;
        if (AgentCredentialStore.HasCredentialShape(proof))
        {
            instance = await _verifier.VerifyAsync(identity.InstanceId, role, identity.Slot, peer, cancellationToken);
            var record = await _credentials.VerifyAsync(instance.InstanceId, proof, cancellationToken)
                ?? throw new RegistrationRefusedException(StatusCode.Unauthenticated,
                    $"the agent credential presented to re-join is not the one issued to instance {instance.InstanceId}");
            if (record.Role != instance.Role || record.Slot != instance.Slot.Index)
            {
                throw new RegistrationRefusedException(StatusCode.PermissionDenied,
                    $"instance {instance.InstanceId} joined as {record.Name} but now claims {instance.Name}");
            }
            credential = proof;
            _logger.LogInformation("Instance {InstanceId} re-joined as {Slot} with its agent credential",
                instance.InstanceId, instance.Name);
        }
        else if (proof.Length == 0 && identity.CallerIdentity is { } signed)
        {
            await VerifyCallerIdentityAsync(signed, identity.InstanceId, role, cancellationToken);
            instance = await _verifier.VerifyAsync(identity.InstanceId, role, identity.Slot, peer, cancellationToken);
            credential = await RegisterFirstJoinAsync(instance, "its caller identity proof", () => Task.CompletedTask, cancellationToken);
        }
        else if (proof.Length == 0)
        {
            throw new RegistrationRefusedException(StatusCode.Unauthenticated,
                "the join request carries no join token (identity.join_token): the instance's user-data must hold one");
        }
        else
        {
            instance = await _verifier.VerifyAsync(identity.InstanceId, role, identity.Slot, peer, cancellationToken);
            var verified = instance;
            credential = await RegisterFirstJoinAsync(instance, "its join token", async () =>
            {
                var redemption = await _tokens.RedeemAsync(proof, verified.InstanceId, verified.Role, verified.Slot.Index,
                    cancellationToken);
                if (redemption.Refusal is { } refusal) throw new RegistrationRefusedException(CodeOf(refusal), redemption.Detail);
            }, cancellationToken);
        }

        // A first join takes the slot over from the instance it replaces. A re-join (the agent asking for its role
        // configuration again) must still hold it, and leaves its last report as it is: it changes no phase.
        if (!AgentCredentialStore.HasCredentialShape(proof))
        {
            await _status.PublishJoinAsync(StatusOf(instance, new AgentReport
            {
                Phase = Phase.Joining,
                Step = "joined",
                At = Timestamp.FromDateTimeOffset(_time.GetUtcNow()),
            }), cancellationToken);
        }
        else if (_status.IsHeldByAnother(instance.Name, instance.InstanceId))
        {
            throw Replaced(instance.InstanceId, instance.Name);
        }
        _tell.Verified(instance);
        return new JoinResponse
        {
            AgentCredential = credential,
            RoleConfig = (await _roleConfigs.ForAsync(instance, cancellationToken)).Config.Sealed(),
        };
    }

    private async Task<CertifyResponse> CertifyCoreAsync(CertifyRequest request, PeerInfo? peer,
        CancellationToken cancellationToken)
    {
        CheckSize(request);
        CheckInstanceId(request.InstanceId);
        if (request.Requests.Count == 0 && request.SshHostPublicKey.Length == 0 && request.ServiceAccountPublicKey.Length == 0)
            throw Invalid("the certify request holds no CSRs, no SSH host key and no service-account key");
        if (request.SshHostPublicKey.Length > RegistrarLimits.MaxSshPublicKeyChars)
            throw Invalid($"the SSH host key is longer than {RegistrarLimits.MaxSshPublicKeyChars} characters");
        if (request.ServiceAccountPublicKey.Length > RegistrarLimits.MaxServiceAccountPublicKeyChars)
            throw Invalid($"the service-account key is longer than {RegistrarLimits.MaxServiceAccountPublicKeyChars} characters");
        if (request.Requests.Count > RegistrarLimits.MaxCsrsPerRequest)
        {
            throw Invalid($"the certify request holds {request.Requests.Count} CSRs; at most {RegistrarLimits.MaxCsrsPerRequest} are accepted");
        }
        foreach (var csr in request.Requests)
        {
            if (string.IsNullOrEmpty(csr.Identity) || csr.Identity.Length > RegistrarLimits.MaxIdentityChars)
            {
                throw Invalid("a CSR names no identity, or one longer than " + RegistrarLimits.MaxIdentityChars + " characters");
            }
            if (string.IsNullOrEmpty(csr.CsrPem) || csr.CsrPem.Length > RegistrarLimits.MaxCsrPemChars)
            {
                throw Invalid($"the CSR for '{csr.Identity}' is empty or longer than {RegistrarLimits.MaxCsrPemChars} characters");
            }
        }
        var duplicate = request.Requests.GroupBy(r => r.Identity).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw Invalid($"the certify request asks for '{duplicate.Key}' more than once");

        var record = await AuthenticateAsync(request.InstanceId, request.AgentCredential, cancellationToken);
        var instance = await _verifier.VerifyAsync(record.InstanceId, record.Role, record.Slot, peer, cancellationToken);
        _tell.Verified(instance);
        // One generation, the slot's, decides what may be asked for, the key algorithm, and every name, usage and
        // lifetime signed: the same that built the configuration the agent holds.
        var desired = await _roleConfigs.ForAsync(instance, cancellationToken);
        var entitled = desired.Config.Certificates.ToDictionary(c => c.Identity, StringComparer.Ordinal);
        foreach (var csr in request.Requests.Where(csr => !entitled.ContainsKey(csr.Identity)))
        {
            var allowed = entitled.Count == 0 ? "none" : string.Join(", ", entitled.Keys.Order(StringComparer.Ordinal));
            throw new RegistrationRefusedException(StatusCode.PermissionDenied,
                $"instance {instance.InstanceId} ({instance.Name}) is not entitled to a certificate for '{csr.Identity}'; " +
                $"its slot may request: {allowed}");
        }
        foreach (var csr in request.Requests) CheckCsr(csr, entitled[csr.Identity].KeyAlgorithm);

        var hostKey = request.SshHostPublicKey.Length > 0 ? CheckSshHostKey(request.SshHostPublicKey, instance, desired.Config) : null;
        var serviceAccountKey = request.ServiceAccountPublicKey.Length > 0
            ? CheckServiceAccountKey(request.ServiceAccountPublicKey, instance, desired.Config)
            : null;

        var response = new CertifyResponse();
        foreach (var csr in request.Requests)
        {
            response.Certificates.Add(await IssueAsync(instance, desired, csr, cancellationToken));
        }
        await RecordAsync(instance, response, cancellationToken);
        if (request.Requests.Count > 0)
            _logger.LogInformation("Issued {Count} certificate(s) to {InstanceId} ({Slot}): {Identities}",
                response.Certificates.Count, instance.InstanceId, instance.Name,
                string.Join(", ", request.Requests.Select(r => r.Identity)));
        if (hostKey is not null)
        {
            var certificate = _sshHosts!.Issue(instance, hostKey, [.. desired.Config.Sshd.HostPrincipals]);
            await _issued.RecordAsync(_sshHosts.RecordOf(instance, certificate, _time.GetUtcNow()), cancellationToken);
            response.SshHostCertificate = certificate.ToLine();
            _logger.LogInformation("Certified the SSH host key {Fingerprint} of {InstanceId} ({Slot}) for {Principals} until {NotAfter:u}",
                hostKey.Fingerprint, instance.InstanceId, instance.Name, string.Join(", ", certificate.Principals), certificate.ValidBefore);
        }
        if (serviceAccountKey is not null)
        {
            await _serviceAccountKeys!.RecordAsync(instance.Name, serviceAccountKey, cancellationToken);
            _logger.LogInformation("Recorded the service-account public key of {InstanceId} ({Slot}): every apiserver gets it at its next re-sync",
                instance.InstanceId, instance.Name);
        }
        return response;
    }

    /// <summary>
    /// An RSA public key from an instance whose role configuration runs kube-apiserver (a controller), recorded for its own
    /// slot only: whatever else asks is refused, and no controller can put a key under another's slot.
    /// </summary>
    private string CheckServiceAccountKey(string pem, VerifiedInstance instance, RoleConfig roleConfig)
    {
        if (roleConfig.KubeApiserver is null)
            throw new RegistrationRefusedException(StatusCode.PermissionDenied,
                $"instance {instance.InstanceId} ({instance.Name}) runs no kube-apiserver: it has no service-account key to publish");
        if (_serviceAccountKeys is null)
            throw new RegistrationRefusedException(StatusCode.FailedPrecondition,
                "this coordinator has no state store to record service-account keys in");
        try
        {
            return ServiceAccountPublicKeys.Normalize(pem);
        }
        catch (FormatException e)
        {
            throw Invalid($"the service-account key is not accepted: {e.Message}");
        }
    }

    /// <summary>
    /// An ed25519 host key of an instance whose role configuration runs sshd, with a host CA to certify it. The key is
    /// all the agent sends: the certificate's principals are those of its role configuration.
    /// </summary>
    private SshPublicKey CheckSshHostKey(string line, VerifiedInstance instance, RoleConfig roleConfig)
    {
        if (roleConfig.Sshd is not { HostPrincipals.Count: > 0 })
            throw new RegistrationRefusedException(StatusCode.PermissionDenied,
                $"instance {instance.InstanceId} ({instance.Name}) runs no sshd: it gets no SSH host certificate");
        if (_sshHosts is null)
            throw new RegistrationRefusedException(StatusCode.FailedPrecondition,
                "this coordinator has no SSH host CA to certify host keys with");
        SshPublicKey key;
        try
        {
            key = SshPublicKey.Parse(line);
        }
        catch (FormatException e)
        {
            throw Invalid($"the SSH host key is not an OpenSSH public key: {e.Message}");
        }
        if (key.Algorithm != SshPublicKey.Ed25519)
            throw Invalid($"the SSH host key is {key.Algorithm}; agents make {SshPublicKey.Ed25519} host keys");
        return key;
    }

    private async Task<ReportResponse> ReportCoreAsync(ReportRequest request, PeerInfo? peer,
        CancellationToken cancellationToken)
    {
        CheckSize(request);
        CheckInstanceId(request.InstanceId);
        var report = request.Report ?? throw Invalid("the report request holds no report");
        if (!System.Enum.IsDefined(report.Phase)) throw Invalid($"the report's phase {(int)report.Phase} is not a phase");
        var record = await AuthenticateAsync(request.InstanceId, request.AgentCredential, cancellationToken);
        if (peer is not null && !peer.Address.Equals(record.Address))
        {
            throw new RegistrationRefusedException(StatusCode.PermissionDenied,
                $"the report for instance {record.InstanceId} came from {peer.Address}, not from its private address {record.PrivateIp}");
        }
        var published = await _status.PublishReportAsync(new AgentStatus
        {
            InstanceId = record.InstanceId,
            Role = record.Role.ToProto(),
            Slot = record.Slot,
            Name = record.Name,
            AvailabilityZone = record.AvailabilityZone,
            PrivateIp = record.PrivateIp,
            LastReport = report.Clone(),
        }, cancellationToken);
        if (!published) throw Replaced(record.InstanceId, record.Name);
        return new ReportResponse { DesiredConfigHash = await _tell.ForAsync(record, peer, cancellationToken) };
    }

    /// <summary>Only a node of the Auto Scaling group may prove itself through STS; every other role has a per-instance token.</summary>
    private async Task VerifyCallerIdentityAsync(SignedCallerIdentity signed, string instanceId, InstanceRole role,
        CancellationToken cancellationToken)
    {
        if (role != InstanceRole.Node || _topology.NodeGroup is null)
        {
            throw new RegistrationRefusedException(StatusCode.PermissionDenied,
                $"a caller identity proof is accepted only from the nodes of an Auto Scaling group; a {role.TagValue()} instance " +
                "of this cluster joins with the join token from its user-data");
        }
        if (_callerIdentity is null)
        {
            throw new RegistrationRefusedException(StatusCode.FailedPrecondition,
                "this coordinator has no STS endpoint to check caller identity proofs with: run it with AWS credentials");
        }
        await _callerIdentity.VerifyAsync(signed, instanceId, cancellationToken);
    }

    /// <summary>A first join: refused once the instance has joined (it re-joins with its credential), else the proof is spent.</summary>
    private async Task<string> RegisterFirstJoinAsync(VerifiedInstance instance, string proofName, Func<Task> spendProof,
        CancellationToken cancellationToken)
    {
        if (await _credentials.FindAsync(instance.InstanceId, cancellationToken) is not null)
        {
            throw new RegistrationRefusedException(StatusCode.FailedPrecondition,
                $"instance {instance.InstanceId} has already joined; it re-joins with its agent credential, " +
                $"a first join with {proofName} is refused");
        }
        await spendProof();
        // Only a proven first join places the slot in the desired state (the newest generation, unless a roll placed it).
        await _roleConfigs.FirstJoinAsync(instance, cancellationToken);
        var credential = await _credentials.TryRegisterAsync(instance, cancellationToken)
            ?? throw new RegistrationRefusedException(StatusCode.FailedPrecondition,
                $"instance {instance.InstanceId} joined concurrently with another request; {proofName} is spent");
        _logger.LogInformation("Instance {InstanceId} joined as {Slot} from {Address} with {Proof}",
            instance.InstanceId, instance.Name, instance.PrivateIp, proofName);
        return credential;
    }

    private async Task<AgentRecord> AuthenticateAsync(string instanceId, string credential, CancellationToken cancellationToken) =>
        await _credentials.VerifyAsync(instanceId, credential, cancellationToken)
        ?? throw new RegistrationRefusedException(StatusCode.Unauthenticated,
            $"the agent credential is not the one issued to instance {instanceId} (or the instance has not joined): " +
            "join first, with the join token from its user-data");

    private async Task<Kubes.Protos.V1.IssuedCertificate> IssueAsync(VerifiedInstance instance, DesiredRole desired,
        CertificateSigningRequest csr, CancellationToken cancellationToken)
    {
        try
        {
            var identity = desired.Identity(csr.Identity)
                ?? throw new InvalidOperationException($"the configuration of {instance.Name} lists '{csr.Identity}' but its policy has no such identity");
            return await _issuer.IssueAsync(instance, identity, csr.CsrPem, cancellationToken);
        }
        catch (Exception e) when (e is not RegistrationRefusedException and not OperationCanceledException)
        {
            _logger.LogError(e, "Issuing '{Identity}' to {InstanceId} failed", csr.Identity, instance.InstanceId);
            throw new RegistrationRefusedException(StatusCode.Internal,
                $"the coordinator failed to issue '{csr.Identity}'; its log has the cause");
        }
    }

    /// <summary>Every certificate is in the issuance record before the agent has it; a failed write fails the call, which the
    /// agent retries.</summary>
    private Task RecordAsync(VerifiedInstance instance, CertifyResponse response, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        return Task.WhenAll(response.Certificates.Select(issued =>
        {
            using var certificate = X509Certificate2.CreateFromPem(issued.CertificatePem);
            return _issued.RecordAsync(IssuedCertificateEntry.Of(instance.InstanceId, instance.Name, issued.Identity, certificate, now),
                cancellationToken);
        }));
    }

    /// <summary>The CSR must be one PKCS#10 request, signed by its own key, of the algorithm the slot's config asks for.</summary>
    private static void CheckCsr(CertificateSigningRequest csr, string expectedAlgorithm)
    {
        CertificateRequest parsed;
        try
        {
            parsed = CertificateRequest.LoadSigningRequestPem(csr.CsrPem, HashAlgorithmName.SHA256);
        }
        catch (CryptographicException e)
        {
            throw Invalid($"the CSR for '{csr.Identity}' is not a valid, self-signed PKCS#10 request in PEM: {e.Message}");
        }
        var actual = KeyAlgorithmOf(parsed.PublicKey);
        if (actual != expectedAlgorithm)
        {
            throw Invalid($"the CSR for '{csr.Identity}' has a {actual} key; its slot's config asks for {expectedAlgorithm}");
        }
    }

    private static string KeyAlgorithmOf(PublicKey key)
    {
        if (key.Oid.Value == EcPublicKeyOid)
        {
            // The curve's OID is the key's algorithm parameter: read it without building a key object.
            try
            {
                var curve = new System.Formats.Asn1.AsnReader(key.EncodedParameters?.RawData ?? [], System.Formats.Asn1.AsnEncodingRules.DER)
                    .ReadObjectIdentifier();
                return curve == P256Oid ? KeyAlgorithms.EcdsaP256 : $"ecdsa-{new Oid(curve).FriendlyName ?? curve}";
            }
            catch (System.Formats.Asn1.AsnContentException)
            {
                return "ecdsa with unreadable parameters";
            }
        }
        using var rsa = key.GetRSAPublicKey();
        return rsa is not null ? $"rsa-{rsa.KeySize}" : key.Oid.FriendlyName ?? key.Oid.Value ?? "unknown";
    }

    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string P256Oid = "1.2.840.10045.3.1.7";

    private AgentStatus StatusOf(VerifiedInstance instance, AgentReport report) => new()
    {
        InstanceId = instance.InstanceId,
        Role = instance.Role.ToProto(),
        Slot = instance.Slot.Index,
        Name = instance.Name,
        AvailabilityZone = instance.Slot.Zone.Zone,
        PrivateIp = instance.PrivateIp.ToString(),
        LastReport = report,
    };

    private async Task<T> Guarded<T>(string operation, string? instanceId, PeerInfo? peer, Func<Task<T>> handle)
    {
        try
        {
            return await handle();
        }
        catch (RegistrationRefusedException refusal)
        {
            var instance = string.IsNullOrEmpty(instanceId) ? "(none)" : Truncate(instanceId);
            _refusals.Refused(peer?.Address.ToString() ?? $"the mailbox of {instance}", $"{operation} for instance {instance}",
                refusal.Code, refusal.Message);
            throw;
        }
    }

    private RegistrationRefusedException Replaced(string instanceId, string slot) => new(StatusCode.FailedPrecondition,
        $"instance {instanceId} was replaced in slot {slot} by instance {_status.HolderOf(slot)}, which joined after it; " +
        "it is no longer answered for that slot");

    private static StatusCode CodeOf(JoinTokenRefusal refusal) => refusal switch
    {
        JoinTokenRefusal.Malformed or JoinTokenRefusal.Unknown or JoinTokenRefusal.Expired or JoinTokenRefusal.AlreadyUsed
            => StatusCode.Unauthenticated,
        _ => StatusCode.PermissionDenied,
    };

    private static void CheckSize(IMessage request)
    {
        var size = request.CalculateSize();
        if (size > RegistrarLimits.MaxRequestBytes)
        {
            throw Invalid($"the request is {size} bytes; at most {RegistrarLimits.MaxRequestBytes} are accepted");
        }
    }

    private static void CheckInstanceId(string instanceId)
    {
        if (!InstanceIds.IsValid(instanceId))
        {
            throw Invalid($"'{Truncate(instanceId)}' is not an instance id");
        }
    }

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";

    private static RegistrationRefusedException Invalid(string message) => new(StatusCode.InvalidArgument, message);
}
