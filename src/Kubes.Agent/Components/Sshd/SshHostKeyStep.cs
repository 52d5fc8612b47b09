using Kubes.Agent.FileSystem;
using Kubes.Agent.Processes;
using Kubes.Agent.Steps;

namespace Kubes.Agent.Components.Sshd;

/// <summary>
/// <c>ssh-host-key</c>: the instance's ed25519 host key, made here by ssh-keygen and never sent anywhere (only its public
/// half is, to be certified). A key the image already made (cloud-init does on AWS) is kept.
/// </summary>
public sealed class SshHostKeyStep(SshdLayout layout, CommandRunner commands) : IInstallStep
{
    public string Name => "ssh-host-key";

    public string InputHash => FileHash.OfInputs(layout.HostKeyFile, "ed25519");

    public Task<bool> IsDoneAsync(CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(layout.HostKeyFile) && File.Exists(layout.HostPublicKeyFile)
                        && (File.GetUnixFileMode(layout.HostKeyFile) & ~AtomicFile.OwnerOnly) == 0);

    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(layout.HostKeyFile)!);
        if (File.Exists(layout.HostKeyFile))
        {
            // A key without its public half: the half is derived from it again.
            File.SetUnixFileMode(layout.HostKeyFile, AtomicFile.OwnerOnly);
            var derived = await commands.RunCheckedAsync(layout.KeyGen, ["-y", "-f", layout.HostKeyFile], cancellationToken);
            AtomicFile.WriteAllText(layout.HostPublicKeyFile, derived.StandardOutput, AtomicFile.Readable);
            return;
        }

        File.Delete(layout.HostPublicKeyFile);
        await commands.RunCheckedAsync(layout.KeyGen,
            ["-q", "-t", "ed25519", "-N", "", "-C", $"{layout.Config.Name}.{layout.Config.Cluster}", "-f", layout.HostKeyFile],
            cancellationToken);
    }
}
