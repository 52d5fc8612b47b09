using Kubes.Agent.Configuration;
using Kubes.Agent.FileSystem;

namespace Kubes.Agent.Services;

/// <summary>Units in /etc/systemd/system, driven with systemctl.</summary>
public sealed class SystemdServiceManager(AgentPaths paths, CommandRunner commands) : IServiceManager
{
    private string UnitPath(string fileName) => Path.Join(paths.UnitDir, fileName);

    public async Task InstallUnitAsync(SystemdUnit unit, CancellationToken cancellationToken)
    {
        AtomicFile.WriteAllText(UnitPath(unit.FileName), unit.Render(), AtomicFile.Readable);
        await commands.RunCheckedAsync("systemctl", ["daemon-reload"], cancellationToken);
    }

    public async Task<bool> IsUnitInstalledAsync(SystemdUnit unit, CancellationToken cancellationToken)
    {
        var path = UnitPath(unit.FileName);
        return File.Exists(path) && await File.ReadAllTextAsync(path, cancellationToken) == unit.Render();
    }

    public Task EnableAndStartAsync(string name, CancellationToken cancellationToken) =>
        commands.RunCheckedAsync("systemctl", ["enable", "--now", name + ".service"], cancellationToken);

    public Task RestartAsync(string name, CancellationToken cancellationToken) =>
        commands.RunCheckedAsync("systemctl", ["restart", name + ".service"], cancellationToken);

    public Task StopAsync(string name, CancellationToken cancellationToken) =>
        commands.RunCheckedAsync("systemctl", ["stop", name + ".service"], cancellationToken);

    public async Task<bool> IsActiveAsync(string name, CancellationToken cancellationToken) =>
        (await commands.RunAsync("systemctl", ["is-active", "--quiet", name + ".service"], cancellationToken)).ExitCode == 0;
}
