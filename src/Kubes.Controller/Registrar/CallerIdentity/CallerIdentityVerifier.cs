using Grpc.Core;
using Kubes.Protos.V1;

namespace Kubes.Controller.Registrar.CallerIdentity;

/// <summary>
/// Learns from AWS itself which instance an agent runs on, as kops-controller does: the agent signs
/// sts:GetCallerIdentity with its instance profile's credentials, this replays it to STS, and STS answers with
/// <c>assumed-role/&lt;role&gt;/&lt;instance id&gt;</c>. Accepted only for this account, this cluster's node role, and the
/// instance id the agent claims.
/// </summary>
public sealed class CallerIdentityVerifier(string cluster, string account, string nodeRoleName, StsCallerIdentityReplay sts,
    TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The instance id STS vouches for, which is the one claimed; otherwise a refusal.</summary>
    public async Task<string> VerifyAsync(SignedCallerIdentity proof, string claimedInstanceId, CancellationToken cancellationToken)
    {
        var headers = SignedCallerIdentityCheck.Check(proof, cluster, _time.GetUtcNow());
        var (arn, answeredAccount) = await sts.ReplayAsync(headers, cancellationToken);
        if (!AssumedRoleArn.TryParse(arn, out var caller))
            throw Refuse($"STS says the proof was signed by {arn}, which is not an instance profile's assumed role");
        if (caller.Account != account || answeredAccount != account)
            throw Refuse($"STS says the proof was signed in account {caller.Account}, not this cluster's account {account}");
        if (caller.RoleName != nodeRoleName)
            throw Refuse($"STS says the proof was signed by role {caller.RoleName}, not {nodeRoleName}, the role of cluster {cluster}'s nodes");
        if (caller.SessionName != claimedInstanceId)
            throw Refuse($"STS says the proof was signed by instance {caller.SessionName}, not by {claimedInstanceId}, which the request claims");
        return caller.SessionName;
    }

    private static RegistrationRefusedException Refuse(string message) => new(StatusCode.PermissionDenied, message);
}
