using System.Net;

namespace Kubes.Controller.Registrar;

/// <summary>
/// Looks an instance up where it really lives (EC2, or the local provider's process table), so the
/// registrar learns its state, address and tags from the cloud and not from the agent.
/// </summary>
public interface IInstanceDirectory
{
    /// <summary>The instance, or null when no such instance exists.</summary>
    Task<InstanceRecord?> FindAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The ids of the data volumes tagged for the cluster's slot (kubes.io/cluster, kubes.io/slot); empty where
    /// the cloud keeps none (the local provider gives data a folder).
    /// </summary>
    Task<IReadOnlyList<string>> FindDataVolumesAsync(string cluster, string slotName, CancellationToken cancellationToken = default);
}

public enum InstanceState { Pending, Running, Stopping, Stopped, ShuttingDown, Terminated }

/// <param name="PublicIp">Where the operator's machine reaches the instance from outside its VPC: its public IPv4 address
/// on AWS (none in a private subnet); its VPC address for the local provider, whose VPC this machine routes to.</param>
public sealed record InstanceRecord(
    string InstanceId,
    InstanceState State,
    IPAddress? PrivateIp,
    IReadOnlyDictionary<string, string> Tags,
    string? AvailabilityZone = null,
    IPAddress? PublicIp = null);
