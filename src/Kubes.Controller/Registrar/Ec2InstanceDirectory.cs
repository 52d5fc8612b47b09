using Kubes.Protos.Contract;
using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;

namespace Kubes.Controller.Registrar;

/// <summary>The instance directory on AWS: EC2 DescribeInstances, one instance by id; DescribeVolumes by slot tags.</summary>
public sealed class Ec2InstanceDirectory : IInstanceDirectory
{
    private readonly IAmazonEC2 _ec2;

    public Ec2InstanceDirectory(IAmazonEC2 ec2)
    {
        _ec2 = ec2;
    }

    public async Task<InstanceRecord?> FindAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        if (!InstanceIds.IsValid(instanceId)) return null;
        DescribeInstancesResponse response;
        try
        {
            response = await _ec2.DescribeInstancesAsync(
                new DescribeInstancesRequest { InstanceIds = [instanceId] }, cancellationToken);
        }
        catch (AmazonEC2Exception e) when (e.ErrorCode is "InvalidInstanceID.NotFound" or "InvalidInstanceID.Malformed")
        {
            return null;
        }
        var instance = (response.Reservations ?? [])
            .SelectMany(r => r.Instances ?? [])
            .FirstOrDefault(i => i.InstanceId == instanceId);
        if (instance is null) return null;

        var tags = (instance.Tags ?? [])
            .Where(t => t.Key is not null)
            .GroupBy(t => t.Key)
            .ToDictionary(g => g.Key, g => g.Last().Value ?? "");
        var address = IPAddress.TryParse(instance.PrivateIpAddress, out var ip) ? ip : null;
        return new InstanceRecord(instance.InstanceId, StateOf(instance.State?.Name?.Value), address, tags,
            instance.Placement?.AvailabilityZone, IPAddress.TryParse(instance.PublicIpAddress, out var publicIp) ? publicIp : null);
    }

    public async Task<IReadOnlyList<string>> FindDataVolumesAsync(string cluster, string slotName,
        CancellationToken cancellationToken = default)
    {
        var request = new DescribeVolumesRequest
        {
            Filters =
            [
                new Filter { Name = $"tag:{InstanceTags.Cluster}", Values = [cluster] },
                new Filter { Name = $"tag:{InstanceTags.Slot}", Values = [slotName] },
                // The root volume carries the slot's tags too; only the data volume is a resource of the cluster.
                new Filter { Name = "tag-key", Values = [Aws.Resources.ClusterTags.Resource] },
            ],
        };
        var ids = new List<string>();
        DescribeVolumesResponse response;
        do
        {
            response = await _ec2.DescribeVolumesAsync(request, cancellationToken);
            // Checked here too: the answer must carry both tags whatever the filters did.
            ids.AddRange((response.Volumes ?? [])
                .Where(v => v.State != VolumeState.Deleting && v.State != VolumeState.Deleted)
                .Where(v => HasTag(v.Tags, InstanceTags.Cluster, cluster) && HasTag(v.Tags, InstanceTags.Slot, slotName))
                .Where(v => (v.Tags ?? []).Any(t => t.Key == Aws.Resources.ClusterTags.Resource))
                .Select(v => v.VolumeId));
            request.NextToken = response.NextToken;
        } while (!string.IsNullOrEmpty(response.NextToken));
        return ids;
    }

    private static bool HasTag(List<Tag>? tags, string key, string value) =>
        (tags ?? []).Any(t => t.Key == key && t.Value == value);

    private static InstanceState StateOf(string? name) => name switch
    {
        "pending" => InstanceState.Pending,
        "running" => InstanceState.Running,
        "stopping" => InstanceState.Stopping,
        "stopped" => InstanceState.Stopped,
        "shutting-down" => InstanceState.ShuttingDown,
        _ => InstanceState.Terminated,
    };
}
