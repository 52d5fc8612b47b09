using Kubes.Agent.FileSystem;
using Kubes.Agent.Processes;
using Kubes.Agent.Steps;

namespace Kubes.Agent.Components.Sshd;

/// <summary>
/// <c>ssh-login-user</c>: the account operators log in as exists, with a shell and a home, and without a password — not
/// a locked one either (<c>*</c>, not <c>!</c>): sshd without PAM refuses a locked account even for a certificate.
/// </summary>
public sealed class LoginUserStep(string user, CommandRunner commands) : IInstallStep
{
    public string Name => "ssh-login-user";

    public string InputHash => FileHash.OfInputs(user);

    public async Task<bool> IsDoneAsync(CancellationToken cancellationToken)
    {
        var shadow = await commands.RunAsync("getent", ["shadow", user], cancellationToken);
        return shadow.ExitCode == 0 && shadow.StandardOutput.Split(':') is [_, "*", ..];
    }

    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var exists = await commands.RunAsync("getent", ["passwd", user], cancellationToken);
        if (exists.ExitCode != 0)
        {
            var add = await commands.RunAsync("useradd",
                ["--system", "--create-home", "--shell", "/bin/bash", "--comment", "kubes operators (SSH certificates only)", user],
                cancellationToken);
            // 9: another agent of this machine made it meanwhile (the local provider's instances share its users).
            if (add.ExitCode is not (0 or 9))
            {
                throw new CommandFailedException($"'{add.CommandLine}' exited {add.ExitCode}: {add.StandardError.Trim()}");
            }
        }

        await commands.RunCheckedAsync("usermod", ["--password", "*", user], cancellationToken);
    }
}
