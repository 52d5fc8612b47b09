using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Kubes.Controller.Registrar;

/// <summary>
/// The tell: the config_hash the coordinator wants an instance to run, answered to each of its reports so that its
/// agent asks again for its role configuration as soon as that changes. It needs the instance as verified (its data
/// volume is part of its configuration); the registrar remembers each instance it verified on a join or a certify, and
/// looks up the others once.
/// </summary>
public sealed class DesiredConfigTell(IRoleConfigSource configs, InstanceVerifier verifier, ILogger logger)
{
    private readonly ConcurrentDictionary<string, VerifiedInstance> _instances = new(StringComparer.Ordinal);

    public void Verified(VerifiedInstance instance) => _instances[instance.InstanceId] = instance;

    /// <summary>The hash for the reporting agent; empty (no opinion) when its instance cannot be verified now.</summary>
    public async Task<string> ForAsync(AgentRecord record, PeerInfo? peer, CancellationToken cancellationToken)
    {
        if (!_instances.TryGetValue(record.InstanceId, out var instance))
        {
            try
            {
                instance = await verifier.VerifyAsync(record.InstanceId, record.Role, record.Slot, peer, cancellationToken);
            }
            catch (RegistrationRefusedException refusal)
            {
                logger.LogInformation("No desired configuration told to instance {InstanceId} ({Slot}): {Reason}",
                    record.InstanceId, record.Name, refusal.Message);
                return "";
            }
            Verified(instance);
        }
        return await configs.DesiredConfigHashAsync(instance, cancellationToken);
    }
}
