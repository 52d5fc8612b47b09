using System.Collections.Concurrent;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Kubes.Controller.Aws.Iam;

namespace Kubes.Controller.Local.Namespaces;

/// <summary>
/// Per-instance credentials for instances that an EC2 API holds, made the way EC2 makes them: the role of the instance's
/// profile, assumed with the instance id as session name, so STS reports the caller as
/// <c>assumed-role/&lt;role&gt;/&lt;instance id&gt;</c>. Refreshed before they expire.
/// </summary>
public sealed class AssumedRoleCredentials(IamClient iam, IAmazonSecurityTokenService sts, TimeProvider? time = null)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(10);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, InstanceProfileCredentials> _issued = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The credentials of <paramref name="instanceId"/>'s profile; null when it has none.</summary>
    /// <param name="instanceProfileArn">The profile EC2 reports for the instance, <c>…:instance-profile/&lt;path&gt;&lt;name&gt;</c>.</param>
    public async Task<InstanceProfileCredentials?> ForAsync(string instanceId, string? instanceProfileArn, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(instanceProfileArn)) return null;
        if (_issued.TryGetValue(instanceId, out var current) && !IsDue(current)) return current;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_issued.TryGetValue(instanceId, out current) && !IsDue(current)) return current;
            var profile = await iam.GetInstanceProfileAsync(instanceProfileArn[(instanceProfileArn.LastIndexOf('/') + 1)..], cancellationToken);
            var role = profile.Roles.FirstOrDefault()
                ?? throw new LocalProviderException($"Instance profile {profile.Arn} of {instanceId} carries no role: give it one.");
            var assumed = await sts.AssumeRoleAsync(new AssumeRoleRequest
            {
                RoleArn = role.Arn,
                RoleSessionName = instanceId,
                DurationSeconds = (int)Lifetime.TotalSeconds,
            }, cancellationToken);
            var credentials = new InstanceProfileCredentials(role.Name, assumed.Credentials.AccessKeyId,
                assumed.Credentials.SecretAccessKey, assumed.Credentials.SessionToken, profile.Arn,
                assumed.Credentials.Expiration is { } expires ? new DateTimeOffset(expires.ToUniversalTime()) : _time.GetUtcNow() + Lifetime);
            _issued[instanceId] = credentials;
            return credentials;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Forget(string instanceId) => _issued.TryRemove(instanceId, out _);

    private bool IsDue(InstanceProfileCredentials credentials) =>
        credentials.Expiration is { } expires && expires - _time.GetUtcNow() < RefreshBefore;
}
