using Kubes.Agent.Channels;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Processes;
using Kubes.Agent.FileSystem;
using Kubes.Agent.Steps;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.Sshd;

/// <summary>
/// The instance's SSH server: OpenSSH installed → (AWS) the image's own SSH server stopped → the login user, who may use
/// sudo (the operators who hold the cluster's user certificates administer its machines) → the ed25519
/// host key made here → its host certificate from the coordinator → sshd's configuration and the user CA → its unit,
/// started and restarted when any of them changes → health.
/// </summary>
public sealed class SshdComponent(
    AgentPaths paths,
    StepFactory steps,
    CommandRunner commands,
    IRegistrarChannel channel,
    AgentSession session,
    TimeProvider time,
    SshdHealthCheck health) : IComponent, IRenewsCredential
{
    public string Name => ComponentNames.Sshd;

    public IReadOnlyList<IInstallStep> PlanSteps(RoleConfig config)
    {
        var layout = new SshdLayout(config, paths, steps);
        // Only an agent that owns the host's root stops the host's own SSH server (never this machine's, for a local instance).
        var stopsDistributionSsh = layout.Artifact.DistributionPackages.Count > 0 && paths.IsHostRoot;
        return
        [
            .. steps.Programs("install-openssh", layout.Artifact, SshdLayout.Programs),
            .. stopsDistributionSsh ? [new DistributionSshStep(commands)] : Array.Empty<IInstallStep>(),
            new LoginUserStep(layout.Sshd.LoginUser, commands),
            steps.RenderFile("configure-login-user-sudo", layout.SudoersFile, SshdConfigFile.Sudoers(layout),
                UnixFileMode.UserRead | UnixFileMode.GroupRead),
            new SshHostKeyStep(layout, commands),
            new SshHostCertificateStep(layout, channel, session, time),
            steps.RenderFile("configure-sshd-config", layout.ConfigFile, SshdConfigFile.Render(layout), AtomicFile.OwnerOnly),
            steps.RenderFile("configure-sshd-user-ca", layout.UserCaFile, layout.UserCa.ToLine() + "\n", AtomicFile.Readable),
            .. steps.Service(SshdUnit.Build(layout),
                [layout.ConfigFile, layout.UserCaFile, layout.HostKeyFile, layout.HostCertificateFile]),
        ];
    }

    public DateTimeOffset? RenewalDue(RoleConfig config)
    {
        var layout = new SshdLayout(config, paths, steps);
        return SshHostCertificateRenewal.Installed(layout) is { } certificate
            ? SshHostCertificateRenewal.DueAt(certificate, config.Name)
            : null;
    }

    public Task<ComponentHealth> CheckHealthAsync(RoleConfig config, CancellationToken cancellationToken) =>
        health.CheckAsync(new SshdLayout(config, paths, steps), cancellationToken);
}
