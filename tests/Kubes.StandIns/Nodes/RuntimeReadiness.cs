using Kubes.Agent.Components.Containerd;
using Kubes.Agent.Components.Containerd.Cri;

namespace Kubes.StandIns.Nodes;

/// <summary>
/// What a kubelet takes into its Node from its container runtime's last CRI answers: the runtime's version
/// (<c>containerd://1.6.20</c>) and, in the kubelet's own words, what keeps the node from being Ready: the runtime's
/// errors, then the network's (RuntimeReady and NetworkReady must both be true), as the kubelet's runtime state holds them.
/// </summary>
public sealed record RuntimeReadiness(string? RuntimeVersion, IReadOnlyList<string> Errors)
{
    public static RuntimeReadiness NotAskedYet { get; } = new(null, ["container runtime status check may not have completed yet"]);

    public bool Ready => Errors.Count == 0;

    /// <summary>The Ready condition's message when not ready: the errors as Go's aggregate error prints them.</summary>
    public string Message => Errors.Distinct().ToList() is [var one] ? one : $"[{string.Join(", ", Errors.Distinct())}]";

    public static RuntimeReadiness From(VersionResponse version, StatusResponse status)
    {
        var conditions = status.Status?.Conditions.ToDictionary(c => c.Type) ?? [];
        var runtime = conditions.GetValueOrDefault(ContainerdHealthCheck.RuntimeReady);
        var network = conditions.GetValueOrDefault(ContainerdHealthCheck.NetworkReady);
        var errors = new List<string>();
        if (runtime is not { Status: true }) errors.Add($"container runtime not ready: {Describe(runtime)}");
        if (network is not { Status: true }) errors.Add($"container runtime network not ready: {Describe(network)}");
        return new($"{version.RuntimeName}://{version.RuntimeVersion}", errors);
    }

    /// <summary>The runtime stopped answering: what the kubelet says once it has not heard from a runtime it knew.</summary>
    public RuntimeReadiness Unanswered() => RuntimeVersion is null ? this : this with { Errors = ["container runtime is down"] };

    /// <summary>The kubelet's RuntimeCondition.String(); a condition the runtime did not report prints as Go's nil.</summary>
    private static string Describe(RuntimeCondition? condition) => condition is null
        ? "<nil>"
        : $"{condition.Type}={(condition.Status ? "true" : "false")} reason:{condition.Reason} message:{condition.Message}";
}
