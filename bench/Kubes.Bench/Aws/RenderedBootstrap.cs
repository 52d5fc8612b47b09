using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Controller.UserData;

namespace Kubes.Bench.Aws;

/// <summary>
/// The real bootstrap script for each instance, with a fresh join-token-shaped secret, so RunInstances carries
/// user-data of the real size. Nothing is stored: the join-token store's writes are not part of the AWS counts.
/// </summary>
public sealed class RenderedBootstrap(ClusterSpec spec, StateStoreLocation state) : IInstanceBootstrap
{
    private const string AgentSha256 = "0000000000000000000000000000000000000000000000000000000000000000";

    public Task<string> UserDataAsync(InstanceSlot slot, CancellationToken cancellationToken) =>
        Task.FromResult(Render(slot.Role, slot.Index));

    public Task<string> GroupUserDataAsync(InstanceRole role, CancellationToken cancellationToken) =>
        Task.FromResult(Render(role, 0));

    private string Render(InstanceRole role, int slot) => UserDataRenderer.Render(new UserDataSettings
    {
        Cluster = spec.Name,
        Role = role,
        Slot = slot,
        JoinToken = BearerSecret.Generate(JoinTokenStore.TokenPrefix),
        AgentUrl = $"https://{state.Bucket}.s3.{spec.Region}.amazonaws.com/agent/kubes-agent?X-Amz-Signature=bench",
        AgentSha256 = AgentSha256,
        Channel = AgentChannel.S3,
        MailboxBucket = state.Bucket,
        MailboxPrefix = state.Prefix,
        MailboxRegion = spec.Region,
    });
}
