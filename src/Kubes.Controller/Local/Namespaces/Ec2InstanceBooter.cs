using Kubes.Protos.Contract;
using System.Collections.Concurrent;
using System.Net;
using System.Runtime.Versioning;
using System.Text;
using Amazon.EC2;
using Amazon.EC2.Model;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Registrar;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Controller.Local.Namespaces;

/// <summary>
/// Boots instances that an EC2 API holds (the emulator, which runs nothing) on this machine: each in a network
/// namespace of its own at its VPC address (<see cref="NamespaceNetwork"/>), running the user-data EC2 keeps for it
/// under the same init as a loopback instance, with IMDSv2 served on the bridge address, where the source address
/// of a request says which instance asks. Disposing stops every instance and removes every namespace, veth, route,
/// the bridge and the instances' root folders.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class Ec2InstanceBooter : IAsyncDisposable
{
    private readonly IAmazonEC2 _ec2;
    private readonly Ec2BootOptions _options;
    private readonly NamespaceNetwork _network;
    private readonly InstanceMetadataEndpoint _metadata;
    private readonly ConcurrentDictionary<IPAddress, LocalInstance> _booted;
    private readonly ConcurrentDictionary<string, string> _profiles;
    private readonly ILogger _log;

    private Ec2InstanceBooter(IAmazonEC2 ec2, Ec2BootOptions options, NamespaceNetwork network, InstanceMetadataEndpoint metadata,
        ConcurrentDictionary<IPAddress, LocalInstance> booted, ConcurrentDictionary<string, string> profiles, ILogger log)
    {
        _ec2 = ec2;
        _options = options;
        _network = network;
        _metadata = metadata;
        _booted = booted;
        _profiles = profiles;
        _log = log;
    }

    public IPAddress BridgeAddress => _network.BridgeAddress;

    /// <summary>The bridge's interface name, <c>kubes-br-&lt;hash of the cluster&gt;</c>.</summary>
    public string Bridge => _network.Bridge;

    /// <summary>What every booted instance gets as AWS_EC2_METADATA_SERVICE_ENDPOINT.</summary>
    public Uri MetadataEndpoint => new($"http://{BridgeAddress}:{_options.MetadataPort}/");

    public IReadOnlyList<LocalInstance> Booted => [.. _booted.Values.OrderBy(i => i.InstanceId, StringComparer.Ordinal)];

    /// <summary>The network namespace an instance runs in (<c>ip netns exec</c> it to look inside).</summary>
    public string NamespaceOf(string instanceId) => _network.NamespaceOf(instanceId);

    /// <summary>Creates the bridge and starts the metadata service on it.</summary>
    public static async Task<Ec2InstanceBooter> StartAsync(IAmazonEC2 ec2, Ec2BootOptions options, ILoggerFactory? loggers = null,
        CancellationToken cancellationToken = default)
    {
        loggers ??= NullLoggerFactory.Instance;
        var network = new NamespaceNetwork(options.Cluster, options.StateFolder, options.Vpc, [options.BridgeAddress ?? options.Vpc.AddressAt(1)]);
        // A fresh start: whatever a crashed run of the same cluster left goes first.
        await network.DeleteAsync(cancellationToken);
        await network.EnsureAsync(cancellationToken);
        try
        {
            var booted = new ConcurrentDictionary<IPAddress, LocalInstance>();
            var profiles = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
            var metadata = await InstanceMetadataEndpoint.StartAsync(
                new IPEndPoint(network.BridgeAddress, options.MetadataPort),
                (source, _) => ValueTask.FromResult(booted.GetValueOrDefault(source)),
                $"instance metadata of VPC {options.Vpc}", TimeProvider.System, loggers, cancellationToken,
                options.InstanceProfiles is { } roles
                    ? (instance, ct) => roles.ForAsync(instance.InstanceId, profiles.GetValueOrDefault(instance.InstanceId), ct)
                    : null);
            return new Ec2InstanceBooter(ec2, options, network, metadata, booted, profiles, loggers.CreateLogger<Ec2InstanceBooter>());
        }
        catch
        {
            await network.DeleteAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Boots every pending or running instance EC2 holds with the cluster's tag that is not booted yet, optionally only
    /// those <paramref name="select"/> picks (by their tags): how a test boots what <c>kubes up</c> launched in the emulator.
    /// </summary>
    public async Task<IReadOnlyList<LocalInstance>> BootClusterAsync(Func<IReadOnlyDictionary<string, string>, bool>? select = null,
        CancellationToken cancellationToken = default)
    {
        var booted = new List<LocalInstance>();
        string? page = null;
        do
        {
            var response = await _ec2.DescribeInstancesAsync(new DescribeInstancesRequest
            {
                Filters =
                [
                    new Filter { Name = $"tag:{ClusterTags.Cluster}", Values = [_options.Cluster] },
                    new Filter { Name = "instance-state-name", Values = ["pending", "running"] },
                ],
                NextToken = page,
            }, cancellationToken);
            foreach (var instance in (response.Reservations ?? []).SelectMany(r => r.Instances ?? []))
            {
                if (_booted.Values.Any(b => b.InstanceId == instance.InstanceId)) continue;
                if (select is not null && !select(TagsOf(instance))) continue;
                booted.Add(await BootAsync(instance.InstanceId, cancellationToken));
            }
            page = response.NextToken;
        } while (!string.IsNullOrEmpty(page));
        return booted;
    }

    /// <summary>Boots one instance EC2 holds, with the user-data EC2 keeps for it.</summary>
    public async Task<LocalInstance> BootAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        if (!InstanceIds.IsValid(instanceId)) throw new LocalProviderException($"'{instanceId}' is not an instance id.");
        var described = (await _ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId] }, cancellationToken))
            .Reservations?.SelectMany(r => r.Instances ?? []).SingleOrDefault(i => i.InstanceId == instanceId)
            ?? throw new LocalProviderException($"EC2 has no instance {instanceId} to boot.");
        if (!IPAddress.TryParse(described.PrivateIpAddress, out var address))
            throw new LocalProviderException($"Instance {instanceId} has no private address to boot it at.");
        var attribute = await _ec2.DescribeInstanceAttributeAsync(
            new DescribeInstanceAttributeRequest { InstanceId = instanceId, Attribute = InstanceAttributeName.UserData }, cancellationToken);
        var encoded = attribute.InstanceAttribute?.UserData;
        var userData = string.IsNullOrEmpty(encoded) ? "" : Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        var tags = TagsOf(described);
        if (await InstanceProfileOfAsync(described, tags, cancellationToken) is { } profile) _profiles[instanceId] = profile;

        var instance = new LocalInstance
        {
            InstanceId = instanceId,
            Slot = tags.GetValueOrDefault(ClusterTags.Slot, instanceId),
            Role = tags.GetValueOrDefault(ClusterTags.Role, ""),
            PrivateIp = address.ToString(),
            Zone = described.Placement?.AvailabilityZone ?? "",
            RootFolder = Path.Join(Path.GetFullPath(_options.StateFolder), "instances", instanceId),
            Tags = tags,
            MetadataEndpoint = MetadataEndpoint,
            LaunchTime = described.LaunchTime is { } launched ? new DateTimeOffset(launched.ToUniversalTime()) : DateTimeOffset.UtcNow,
        };
        if (!_booted.TryAdd(address, instance))
            throw new LocalProviderException($"Address {address} of instance {instanceId} is already booted here ({_booted[address].InstanceId}).");
        try
        {
            var name = await _network.AddAsync(instanceId, address, cancellationToken);
            var session = await LocalProcessTrees.LaunchAsync(instance, userData, name, cancellationToken);
            instance = instance with { Session = session, State = LocalInstanceState.Running };
            _booted[address] = instance;
            _log.LogInformation("Booted {InstanceId} at {Address} in network namespace {Namespace}", instanceId, address, name);
            return instance;
        }
        catch
        {
            await StopAsync(instance, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Stops one booted instance and removes its namespace and root folder.</summary>
    public Task StopAsync(string instanceId, CancellationToken cancellationToken = default) =>
        _booted.Values.FirstOrDefault(i => i.InstanceId == instanceId) is { } instance
            ? StopAsync(instance, cancellationToken)
            : Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var instance in _booted.Values) await StopAsync(instance, CancellationToken.None);
        }
        finally
        {
            await _metadata.DisposeAsync();
            await _network.DeleteAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// The instance profile EC2 launched the instance with: the one it reports, else that of the launch template it came
    /// from (an Auto Scaling group's instances in the emulator report none, though on AWS they carry the template's).
    /// </summary>
    private async Task<string?> InstanceProfileOfAsync(Instance instance, IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken)
    {
        if (instance.IamInstanceProfile?.Arn is { Length: > 0 } arn) return arn;
        if (!tags.TryGetValue("aws:ec2launchtemplate:id", out var template)) return null;
        var versions = await _ec2.DescribeLaunchTemplateVersionsAsync(new DescribeLaunchTemplateVersionsRequest
        {
            LaunchTemplateId = template,
            Versions = [tags.GetValueOrDefault("aws:ec2launchtemplate:version", "$Latest")],
        }, cancellationToken);
        return versions.LaunchTemplateVersions?.FirstOrDefault()?.LaunchTemplateData?.IamInstanceProfile?.Arn;
    }

    private static Dictionary<string, string> TagsOf(Instance instance) =>
        (instance.Tags ?? []).Where(t => t.Key is not null).GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.Last().Value ?? "");

    private async Task StopAsync(LocalInstance instance, CancellationToken cancellationToken)
    {
        await LocalProcessTrees.StopAsync(instance.InstanceId, instance.Session, _options.StopGrace, cancellationToken);
        await _network.RemoveAsync(instance.InstanceId, instance.Address, cancellationToken);
        if (Directory.Exists(instance.RootFolder)) Directory.Delete(instance.RootFolder, recursive: true);
        _booted.TryRemove(instance.Address, out _);
        _profiles.TryRemove(instance.InstanceId, out _);
        _options.InstanceProfiles?.Forget(instance.InstanceId);
    }
}
