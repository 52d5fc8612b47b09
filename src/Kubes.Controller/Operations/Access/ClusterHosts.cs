using System.Net;
using Kubes.Controller.Providers;
using Kubes.Controller.Status;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Operations.Access;

/// <summary>One instance as an operator reaches it: its name, its DNS name in the cluster's domain, its private address.</summary>
public sealed record ClusterHost(string Name, string DnsName, IPAddress PrivateIp, InstanceRole Role);

/// <summary>
/// The instances of a cluster an operator can reach, and the bastion they are reached through: slots at their fixed
/// addresses, the nodes of an Auto Scaling group at the addresses they joined with, and where this machine reaches the
/// bastion (its public address on AWS, its VPC address for the local provider), learned from the cloud.
/// </summary>
public sealed class ClusterHosts(IClusterSession session)
{
    /// <summary>Every host, bastion first.</summary>
    public async Task<IReadOnlyList<ClusterHost>> ListAsync(CancellationToken cancellationToken)
    {
        var topology = session.Topology;
        var hosts = topology.Slots.Where(slot => slot.PrivateIp is not null)
            .OrderBy(slot => slot.Role != InstanceRole.Bastion)
            .Select(slot => new ClusterHost(slot.Name, topology.FqdnOf(slot), slot.PrivateIp!, slot.Role))
            .ToList();
        if (topology.NodeGroup is not null)
        {
            var slotNames = hosts.Select(h => h.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var agent in await new AgentStatusStore(session.Store).ListAsync(cancellationToken))
            {
                if (agent.Role == Protos.V1.Role.Node && !slotNames.Contains(agent.Name) && IPAddress.TryParse(agent.PrivateIp, out var ip))
                    hosts.Add(new ClusterHost(agent.Name, $"{agent.Name}.{topology.DnsDomain}", ip, InstanceRole.Node));
            }
        }
        return hosts;
    }

    public async Task<ClusterHost> FindAsync(string name, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(h => h.Name == name || h.DnsName == name)
        ?? throw new AccessException(
            $"cluster {session.Topology.Spec.Name} has no instance '{name}'; its instances are "
            + string.Join(", ", (await ListAsync(cancellationToken)).Select(h => h.Name)));

    /// <summary>The bastion's slot; the cluster must have one.</summary>
    public InstanceSlot BastionSlot() =>
        session.Topology.SlotsOf(InstanceRole.Bastion).FirstOrDefault()
        ?? throw new AccessException(
            $"cluster {session.Topology.Spec.Name} has no bastion (spec.bastion.count is 0): the VPN and SSH reach the VPC only "
            + "through it. Set spec.bastion.count: 1 and run 'kubes up'.");

    /// <summary>Where this machine reaches the bastion: the cloud's answer for the instance that holds its slot now.</summary>
    public async Task<IPAddress> BastionAddressAsync(CancellationToken cancellationToken)
    {
        var slot = BastionSlot();
        var agent = (await new AgentStatusStore(session.Store).ListAsync(cancellationToken))
            .Where(a => a.Name == slot.Name)
            .OrderByDescending(a => a.LastReport?.At?.ToDateTimeOffset())
            .FirstOrDefault()
            ?? throw new AccessException(
                $"{slot.Name} has not joined cluster {session.Topology.Spec.Name} yet: run 'kubes up' (same -f or --local) and wait for it");
        var record = await session.Directory.FindAsync(agent.InstanceId, cancellationToken);
        if (record is not { State: Registrar.InstanceState.Running })
            throw new AccessException(
                $"{slot.Name} ({agent.InstanceId}) is not running: run 'kubes up' (same -f or --local) to replace it");
        return record.PublicIp
               ?? throw new AccessException(
                   $"{slot.Name} ({agent.InstanceId}) has no public address: it must be in a public subnet; run 'kubes up' to put it back");
    }
}
