using Kubes.Agent.Services;

namespace Kubes.Agent.Components.Sshd;

/// <summary>
/// The instance's SSH server as a unit of its own (<c>kubes-sshd</c>), run on its own configuration: the configuration
/// is checked before every start, and a restart leaves open sessions alone (only the listener is restarted, as the
/// distribution's ssh.service does).
/// </summary>
public static class SshdUnit
{
    public static SystemdUnit Build(SshdLayout layout) => new()
    {
        Name = SshdLayout.UnitName,
        Description = $"SSH server of {layout.Config.Name} of cluster {layout.Config.Cluster}, certificates only (kubes)",
        Restart = "always",
        KillMode = "process",
        // sshd's privilege separation directory, fixed at build time; systemd would make it with RuntimeDirectory=.
        ExecStartPre =
        [
            new SystemdCommand(["/bin/mkdir", "-p", "-m", "0755", "/run/sshd"]),
            new SystemdCommand([layout.Program, "-t", "-f", layout.ConfigFile]),
        ],
        ExecStart = [layout.Program, "-D", "-e", "-f", layout.ConfigFile],
    };
}
