using Kubes.Agent.Configuration;
using Kubes.Agent.Processes;

namespace Kubes.Agent.Services;

/// <summary>Units (and their drop-ins) in /etc/systemd/system, driven with systemctl.</summary>
public sealed class SystemdServiceManager(AgentPaths paths, CommandRunner commands) : IServiceManager
{
    private readonly UnitFiles _files = new(paths.UnitDir);

    public async Task InstallUnitAsync(SystemdUnit unit, CancellationToken cancellationToken)
    {
        _files.Write(unit);
        await commands.RunCheckedAsync("systemctl", ["daemon-reload"], cancellationToken);
    }

    public Task<bool> IsUnitInstalledAsync(SystemdUnit unit, CancellationToken cancellationToken) =>
        _files.AreWrittenAsync(unit, cancellationToken);

    public Task EnableAndStartAsync(string name, CancellationToken cancellationToken) =>
        commands.RunCheckedAsync("systemctl", ["enable", "--now", name + ".service"], cancellationToken);

    public Task RestartAsync(string name, CancellationToken cancellationToken) =>
        commands.RunCheckedAsync("systemctl", ["restart", name + ".service"], cancellationToken);

    public Task StopAsync(string name, CancellationToken cancellationToken) =>
        commands.RunCheckedAsync("systemctl", ["stop", name + ".service"], cancellationToken);

    public async Task<bool> IsActiveAsync(string name, CancellationToken cancellationToken) =>
        (await commands.RunAsync("systemctl", ["is-active", "--quiet", name + ".service"], cancellationToken)).ExitCode == 0;
}
