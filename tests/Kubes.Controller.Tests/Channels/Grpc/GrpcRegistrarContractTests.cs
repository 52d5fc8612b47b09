using System.Net;
using Grpc.Core;
using Kubes.Controller.Channels.Grpc;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.Channels.Grpc;

/// <summary>The shared contract over real gRPC on loopback, TLS pinned to a test CA.</summary>
public sealed class GrpcRegistrarContractTests : RegistrarContractTests
{
    private readonly TempFolder _folder = new();
    private readonly ServingCertificate _certificate = ServingCertificate.ForLoopback();
    private RegistrarServer? _server;

    protected override StatusCode OversizedRequestCode => StatusCode.ResourceExhausted;

    protected override Task<IStateStore> CreateStoreAsync() => Task.FromResult<IStateStore>(new FolderStateStore(_folder.Path));

    protected override async Task<IAgentChannel> OpenChannelAsync(RegistrarWorld world)
    {
        _server = await RegistrarServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), () => _certificate.Certificate,
            _certificate.Ca, world.Registrar, world.Status);
        return new GrpcAgentChannel(_server.Address, _certificate.Ca);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
        _certificate.Dispose();
        _folder.Dispose();
    }
}
