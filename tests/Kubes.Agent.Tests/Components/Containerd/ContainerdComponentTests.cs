using Kubes.Agent.Artifacts;
using Kubes.Agent.Components.Cni;
using Kubes.Agent.Components.Containerd;
using Kubes.Agent.Configuration;
using Kubes.Agent.Processes;
using Kubes.Agent.Services;
using Kubes.Agent.Steps;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Agent.Tests.Components.Containerd;

/// <summary>
/// A node's runtime installed by the real components from this machine's containerd, runc and CNI plugins (packed as
/// their releases, served by a loopback mirror) and run by the agent's own supervisor: containerd must answer CRI on the
/// socket its configuration names.
/// </summary>
public sealed class ContainerdComponentTests : IAsyncLifetime
{
    private readonly TempRoot _root = new("kubes-ctr-");
    private HostReleases _releases = null!;
    private ProcessServiceManager _services = null!;
    private AgentPaths _paths = null!;
    private RoleConfig _config = null!;
    private ContainerdComponent _containerd = null!;
    private CniComponent _cni = null!;
    private IReadOnlyList<IInstallStep> _steps = [];

    public async Task InitializeAsync()
    {
        _releases = await HostReleases.PackAsync();
        _paths = new AgentPaths(_root.Join("node-0"));
        _services = new ProcessServiceManager(_paths, new CommandRunner(), NullLogger<ProcessServiceManager>.Instance);
        var steps = new StepFactory(_paths, new ArtifactFetcher(new HttpClient(), NullLogger<ArtifactFetcher>.Instance),
            _services, new CommandRunner(), DataVolumeTiming.Default, NullLoggerFactory.Instance);
        _containerd = new ContainerdComponent(_paths, steps, new ContainerdHealthCheck());
        _cni = new CniComponent(_paths, steps);
        _config = NodeConfigs.Node("node-0", _releases.Containerd, _releases.Runc, _releases.CniPlugins);
        _steps = [.. _containerd.PlanSteps(_config), .. _cni.PlanSteps(_config)];
        // prepare-host would set this machine's ip_forward (the test runs in the host's network namespace):
        // HostKernelStepTests covers it on a kernel of its own.
        var runner = new StepRunner(new StepJournal(_paths.JournalFile, TimeProvider.System), NullLogger<StepRunner>.Instance);
        await runner.RunAsync(_steps.Where(s => s.Name != "prepare-host").ToList(), _ => Task.CompletedTask, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _releases.DisposeAsync();
        _root.Dispose();
    }

    private async Task<ComponentHealth> HealthyAsync()
    {
        ComponentHealth health = new();
        for (var attempt = 0; attempt < 60; attempt++)
        {
            health = await _containerd.CheckHealthAsync(_config, CancellationToken.None);
            if (health.Healthy) return health;
            await Task.Delay(500);
        }
        var log = Path.Join(_paths.LogDir, "containerd.log");
        throw new TimeoutException($"containerd did not answer CRI: {health.Detail}\n"
                                   + (File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : "no log"));
    }

    [Fact]
    public void The_node_prepares_the_host_then_installs_configures_and_starts_containerd_then_the_plugins() =>
        Assert.Equal(
        [
            "prepare-host", "download-containerd", "install-containerd", "download-runc", "install-runc", "render-containerd-config",
            "configure-containerd", "start-containerd", "download-cni-plugins", "install-cni-plugins",
        ], _steps.Select(s => s.Name));

    [Fact]
    public async Task Containerd_answers_CRI_Version_and_Status_on_the_socket_its_configuration_names()
    {
        var health = await HealthyAsync();

        Assert.StartsWith("containerd 1.6.20", health.Detail);
        Assert.Contains("(CRI v1)", health.Detail);
        Assert.Contains("RuntimeReady", health.Detail);
        // No CNI add-on has written a network configuration on this node.
        Assert.Contains("not NetworkReady", health.Detail);
        Assert.True(File.Exists(new ContainerdLayout(_config, _paths).Socket));
    }

    [Fact]
    public async Task A_health_check_asking_another_socket_gets_no_answer()
    {
        await HealthyAsync();
        var elsewhere = new ContainerdLayout(_config, new AgentPaths(_root.Join("node-1")));

        var health = await new ContainerdHealthCheck().CheckAsync(elsewhere, CancellationToken.None);

        Assert.False(health.Healthy);
        Assert.Contains($"no CRI answer on {elsewhere.Socket}", health.Detail);
    }

    [Fact]
    public async Task A_containerd_without_its_CRI_plugin_is_not_healthy()
    {
        await HealthyAsync();
        var other = new AgentPaths(_root.Join("node-2"));
        var layout = new ContainerdLayout(_config, other);
        var withoutCri = ContainerdConfigFile.Render(layout).Replace(
            "disabled_plugins = [", "disabled_plugins = [\"io.containerd.grpc.v1.cri\", ", StringComparison.Ordinal);
        Directory.CreateDirectory(Path.GetDirectoryName(layout.ConfigFile)!);
        await File.WriteAllTextAsync(layout.ConfigFile, withoutCri);
        await using var services = new ProcessServiceManager(other, new CommandRunner(), NullLogger<ProcessServiceManager>.Instance);
        await services.InstallUnitAsync(ContainerdUnit.Build(layout) with { ExecStart = ["/usr/bin/containerd", "--config", layout.ConfigFile] },
            CancellationToken.None);
        await services.EnableAndStartAsync(ContainerdUnit.Name, CancellationToken.None);

        ComponentHealth health = new();
        for (var attempt = 0; attempt < 40 && !File.Exists(layout.Socket); attempt++) await Task.Delay(250);
        health = await new ContainerdHealthCheck().CheckAsync(layout, CancellationToken.None);

        Assert.True(File.Exists(layout.Socket), "containerd without CRI did not start");
        Assert.False(health.Healthy);
        Assert.Contains("no CRI answer", health.Detail);
    }

    [Fact]
    public async Task The_plugins_are_installed_and_the_network_configuration_is_the_add_ons_to_write()
    {
        var layout = new CniLayout(_config, _paths);

        var before = await _cni.CheckHealthAsync(_config, CancellationToken.None);
        Directory.CreateDirectory(layout.ConfDir);
        await File.WriteAllTextAsync(Path.Join(layout.ConfDir, "10-calico.conflist"), "{}");
        var after = await _cni.CheckHealthAsync(_config, CancellationToken.None);

        Assert.All(CniLayout.Plugins, plugin => Assert.True(File.Exists(Path.Join(layout.BinDir, plugin))));
        Assert.True(before.Healthy, before.Detail);
        Assert.Contains("no network configuration yet (the calico add-on writes it)", before.Detail);
        Assert.Contains("network configuration 10-calico.conflist", after.Detail);
    }
}
