using Kubes.Agent.Conversation;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components;

/// <summary>
/// A Kubernetes program a component cannot run without. The coordinator leaves it out of the role configuration when it
/// holds no pinned copy (no network to read the upstream checksum, nothing imported): the refusal, which the agent reports
/// as Failed until a fresh configuration names the file, says what is missing and how the operator provides it.
/// </summary>
public static class RequiredArtifact
{
    public static Artifact Of(RoleConfig config, string name, string component) =>
        config.Artifacts.FirstOrDefault(a => a.Name == name)
        ?? throw new ArtifactNotProvidedException(
            $"the {component} role configuration for {config.Name} has no '{name}' artifact: the coordinator has none pinned for " +
            $"Kubernetes {config.KubernetesVersion}; provide it with 'kubes artifacts import DIR' (the file and a SHA256SUMS beside it), " +
            "or with 'kubes artifacts mirror' on a machine with network");
}
