using System.Text.Json.Serialization;

namespace Kubes.Agent.Components.KubeScheduler;

/// <summary>
/// kube-scheduler's configuration file (<c>kubescheduler.config.k8s.io/v1</c>, <c>KubeSchedulerConfiguration</c>): every
/// field Kubes sets, in the order the file shows them. Field names are the API's (KubeSchedulerConfiguration.fields.tsv in
/// the reference).
/// </summary>
public sealed record KubeSchedulerConfiguration
{
    public string ApiVersion { get; init; } = "kubescheduler.config.k8s.io/v1";
    public string Kind { get; init; } = "KubeSchedulerConfiguration";
    public required SchedulerClientConnection ClientConnection { get; init; }
    public required SchedulerLeaderElection LeaderElection { get; init; }
    public bool EnableProfiling { get; init; }
    public bool EnableContentionProfiling { get; init; }
}

public sealed record SchedulerClientConnection(string Kubeconfig);

public sealed record SchedulerLeaderElection(bool LeaderElect);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(KubeSchedulerConfiguration))]
public sealed partial class KubeSchedulerJsonContext : JsonSerializerContext;
