using Kubes.Protos.Contract;
using System.Net;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Local;

namespace Kubes.Controller.Tests.Local.Support;

internal static class TestInstances
{
    /// <summary>A registry record for an instance at <paramref name="address"/>, its root under <paramref name="stateFolder"/>.</summary>
    public static LocalInstance At(IPAddress address, int port, string stateFolder, string slot, string zone = "local-1a") => new()
    {
        InstanceId = LocalInstanceIds.New(),
        Slot = slot,
        Role = slot[..slot.IndexOf('-')],
        PrivateIp = address.ToString(),
        Zone = zone,
        RootFolder = Path.Join(stateFolder, "instances", slot),
        Tags = new Dictionary<string, string>
        {
            [ClusterTags.Cluster] = "test",
            [ClusterTags.Resource] = $"local-instance/{slot}",
            [ClusterTags.Role] = slot[..slot.IndexOf('-')],
            [ClusterTags.Slot] = slot,
        },
        MetadataEndpoint = new Uri($"http://{address}:{port}/"),
        LaunchTime = DateTimeOffset.UnixEpoch,
    };
}
