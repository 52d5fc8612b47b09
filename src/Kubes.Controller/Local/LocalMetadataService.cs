using System.Net;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Controller.Local;

/// <summary>
/// The instance metadata service of the local provider: one IMDSv2 listener on the cluster's bridge (the VPC's .1,
/// <see cref="LocalEndpoints.Metadata"/>), which answers each instance by the source address of its connection — the
/// address its network namespace gives it — as the registry records it. The registry is read at every request, so an
/// instance is answered as soon as <c>kubes up</c> registers it (before its process tree boots), by whichever process
/// serves (the cluster's <c>kubes serve</c>), and never once it is terminated.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class LocalMetadataService : IAsyncDisposable
{
    /// <summary>The metadata port of every local cluster, on its bridge address.</summary>
    public const int DefaultPort = 16925;

    private readonly InstanceMetadataEndpoint _endpoint;

    private LocalMetadataService(InstanceMetadataEndpoint endpoint)
    {
        _endpoint = endpoint;
    }

    public static async Task<LocalMetadataService> StartAsync(IPEndPoint listen, LocalInstanceRegistry registry,
        ILoggerFactory? loggers = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var endpoint = await InstanceMetadataEndpoint.StartAsync(listen,
            async (source, ct) => (await registry.ListAsync(ct)).FirstOrDefault(i =>
                i.State != LocalInstanceState.Terminated && IPAddress.TryParse(i.PrivateIp, out var address) && address.Equals(source)),
            "the local instances' metadata", time ?? TimeProvider.System, loggers ?? NullLoggerFactory.Instance, cancellationToken);
        return new LocalMetadataService(endpoint);
    }

    public ValueTask DisposeAsync() => _endpoint.DisposeAsync();
}
