using Kubes.Protos.Contract;
using System.Net;
using System.Runtime.Versioning;
using Kubes.Controller.Registrar;

namespace Kubes.Controller.Local;

/// <summary>
/// The registrar's view of local instances: the registry for who an instance is, the process table for whether
/// it runs. An instance runs while its init (the session leader it was booted with) does.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class LocalInstanceDirectory(LocalInstanceRegistry registry) : IInstanceDirectory
{
    public async Task<InstanceRecord?> FindAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        if (!InstanceIds.IsValid(instanceId)) return null;
        var instance = await registry.FindAsync(instanceId, cancellationToken);
        if (instance is null) return null;
        var address = IPAddress.TryParse(instance.PrivateIp, out var ip) ? ip : null;
        // This machine routes to every instance's VPC address: that is where the operator reaches it.
        return new InstanceRecord(instance.InstanceId, StateOf(instance), address, instance.Tags, instance.Zone, address);
    }

    /// <summary>Local instances keep their data in a folder under their root: there are no volumes.</summary>
    public Task<IReadOnlyList<string>> FindDataVolumesAsync(string cluster, string slotName,
        CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>Terminated once recorded so or once its init is gone; pending while registered but not booted.</summary>
    public static InstanceState StateOf(LocalInstance instance) => instance switch
    {
        { State: LocalInstanceState.Terminated } => InstanceState.Terminated,
        { Session: { } session } => LocalProcessTrees.IsAlive(session) ? InstanceState.Running : InstanceState.Terminated,
        _ => InstanceState.Pending,
    };
}
