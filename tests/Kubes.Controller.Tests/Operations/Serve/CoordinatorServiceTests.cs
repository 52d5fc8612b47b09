using Kubes.Controller.DesiredState;
using Kubes.Controller.Operations.Serve;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Providers.Support;
using Kubes.Controller.Tests.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Controller.Tests.Operations.Serve;

public sealed class CoordinatorServiceTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Serve_answers_on_grpc_and_the_mailbox_serves_what_the_instances_need_and_stops_when_cancelled()
    {
        using var session = new ScriptedClusterSession(_folder.Path);
        using var stop = new CancellationTokenSource();
        var progress = new RecordingServeProgress(stop);

        await new CoordinatorService(session, NullLoggerFactory.Instance)
            .RunAsync(listen: null, TimeSpan.FromMilliseconds(100), progress, stop.Token).WaitAsync(TimeSpan.FromMinutes(1));

        var serving = Assert.Single(progress.Served);
        Assert.Equal(("seam", _folder.Path, "scripted instance services"), (serving.Cluster, serving.Mailbox, serving.InstanceServices));
        Assert.Equal("https", serving.Grpc!.Scheme);
        Assert.Equal(["serve instances"], session.Log);
        // Serving answers the desired state kubes up recorded; it records none of its own.
        Assert.Empty(await new FolderStateStore(_folder.Path).ListAsync(SpecGenerationStore.Prefix));
    }

    /// <summary>Stops the service as soon as it says where it serves.</summary>
    private sealed class RecordingServeProgress(CancellationTokenSource stop) : IServeProgress
    {
        public List<ServingCoordinator> Served { get; } = [];

        public Task ServingAsync(ServingCoordinator coordinator)
        {
            Served.Add(coordinator);
            stop.Cancel();
            return Task.CompletedTask;
        }

        public Task NoteAsync(string line) => Task.CompletedTask;
    }
}
