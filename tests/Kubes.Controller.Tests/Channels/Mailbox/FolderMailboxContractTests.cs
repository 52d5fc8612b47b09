using Grpc.Core;
using Kubes.Controller.Channels.Mailbox;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.Channels.Mailbox;

/// <summary>The shared contract over the mailbox in a folder state store (the local provider's).</summary>
public sealed class FolderMailboxContractTests : RegistrarContractTests
{
    private readonly TempFolder _folder = new();

    protected override StatusCode OversizedRequestCode => StatusCode.InvalidArgument;

    protected override Task<IStateStore> CreateStoreAsync() => Task.FromResult<IStateStore>(new FolderStateStore(_folder.Path));

    protected override Task<IAgentChannel> OpenChannelAsync(RegistrarWorld world) =>
        Task.FromResult<IAgentChannel>(new MailboxAgentChannel(
            new FolderStateStore(_folder.Path), new MailboxAnswerer(world.Store, world.Registrar, time: world.Clock)));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _folder.Dispose();
    }
}
