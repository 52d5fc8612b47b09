using Kubes.Agent.Artifacts;
using Kubes.Agent.Components.Containerd;
using Kubes.Agent.Configuration;
using Kubes.Agent.Processes;
using Kubes.Agent.Services;
using Kubes.Agent.Steps;
using Kubes.Agent.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.StandIns.Tests.Support;

/// <summary>
/// A node's real containerd (this machine's, packed as its release), installed and started by the agent's own
/// ContainerdComponent under a test root; its CRI endpoint is what a kubelet's configuration names.
/// </summary>
public sealed class NodeRuntime : IAsyncDisposable
{
    private HostReleases _releases = null!;
    private ProcessServiceManager _services = null!;

    private NodeRuntime(TempRoot root) => Root = root;

    public TempRoot Root { get; }

    public string Endpoint { get; private set; } = "";

    /// <summary>containerd's CNI configuration folder: NetworkReady is false until a network configuration is there.</summary>
    public string CniConfDir { get; private set; } = "";

    public static async Task<NodeRuntime> StartAsync(TempRoot root)
    {
        var runtime = new NodeRuntime(root);
        runtime._releases = await HostReleases.PackAsync();
        var paths = new AgentPaths(root.Join("node"));
        runtime._services = new ProcessServiceManager(paths, new CommandRunner(), NullLogger<ProcessServiceManager>.Instance);
        var steps = new StepFactory(paths, new ArtifactFetcher(new HttpClient(), NullLogger<ArtifactFetcher>.Instance),
            runtime._services, new CommandRunner(), DataVolumeTiming.Default, NullLoggerFactory.Instance);
        var config = NodeConfigs.Node("node-0", runtime._releases.Containerd, runtime._releases.Runc, runtime._releases.CniPlugins);
        var containerd = new ContainerdComponent(paths, steps, new ContainerdHealthCheck());
        // prepare-host would set this machine's kernel settings: the test runs in the host's network namespace.
        var runner = new StepRunner(new StepJournal(paths.JournalFile, TimeProvider.System), NullLogger<StepRunner>.Instance);
        await runner.RunAsync(containerd.PlanSteps(config).Where(s => s.Name != "prepare-host").ToList(), _ => Task.CompletedTask, CancellationToken.None);
        var layout = new ContainerdLayout(config, paths);
        (runtime.Endpoint, runtime.CniConfDir) = (layout.Endpoint, layout.CniConfDir);
        return runtime;
    }

    /// <summary>A bridge network's configuration, as a CNI add-on writes one: containerd loads it and reports NetworkReady.</summary>
    public void WriteCniNetwork(string subnet)
    {
        Directory.CreateDirectory(CniConfDir);
        File.WriteAllText(Path.Join(CniConfDir, "10-kubes-test.conflist"), $$"""
            {
              "cniVersion": "0.4.0",
              "name": "kubes-test",
              "plugins": [
                { "type": "bridge", "bridge": "kubes-test0", "isGateway": true, "ipMasq": true,
                  "ipam": { "type": "host-local", "ranges": [[{ "subnet": "{{subnet}}" }]], "routes": [{ "dst": "0.0.0.0/0" }] } },
                { "type": "portmap", "capabilities": { "portMappings": true } }
              ]
            }
            """);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _releases.DisposeAsync();
    }
}
