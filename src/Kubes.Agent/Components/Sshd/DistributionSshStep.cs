using Kubes.Agent.FileSystem;
using Kubes.Agent.Processes;
using Kubes.Agent.Steps;

namespace Kubes.Agent.Components.Sshd;

/// <summary>
/// <c>stop-distribution-ssh</c>: the image's own SSH server (ssh.socket, ssh.service) stopped and disabled, so that the
/// instance's one SSH server is Kubes' (certificates only) and nothing else answers on port 22. Only where systemd runs
/// the image (the distribution's packages: AWS).
/// </summary>
public sealed class DistributionSshStep(CommandRunner commands) : IInstallStep
{
    public static readonly IReadOnlyList<string> Units = ["ssh.socket", "ssh.service"];

    public string Name => "stop-distribution-ssh";

    public string InputHash => FileHash.OfInputs([.. Units]);

    public async Task<bool> IsDoneAsync(CancellationToken cancellationToken)
    {
        foreach (var unit in await ExistingAsync(cancellationToken))
        {
            var enabled = await commands.RunAsync("systemctl", ["is-enabled", unit], cancellationToken);
            var active = await commands.RunAsync("systemctl", ["is-active", unit], cancellationToken);
            if (enabled.StandardOutput.Trim() == "enabled" || active.StandardOutput.Trim() is "active" or "activating")
            {
                return false;
            }
        }

        return true;
    }

    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var existing = await ExistingAsync(cancellationToken);
        if (existing.Count > 0)
        {
            await commands.RunCheckedAsync("systemctl", ["disable", "--now", .. existing], cancellationToken);
        }
    }

    private async Task<IReadOnlyList<string>> ExistingAsync(CancellationToken cancellationToken)
    {
        var existing = new List<string>();
        foreach (var unit in Units)
        {
            if ((await commands.RunAsync("systemctl", ["cat", unit], cancellationToken)).ExitCode == 0)
            {
                existing.Add(unit);
            }
        }

        return existing;
    }
}
