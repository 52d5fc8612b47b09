using System.Security.Cryptography;
using Kubes.Agent.Steps;
using Kubes.Agent.Tests.Support;

namespace Kubes.Agent.Tests.Steps;

public sealed class InstallProgramStepTests : IDisposable
{
    private readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task A_bare_program_is_installed_executable_and_done_while_it_is_the_artifact()
    {
        var download = _root.Join("artifacts", "kubectl-1.36.3-0123456789ab");
        Directory.CreateDirectory(Path.GetDirectoryName(download)!);
        await File.WriteAllTextAsync(download, "#!/bin/sh\necho kubectl\n");
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(download)));
        var destination = _root.Join("usr", "local", "bin", "kubectl");
        var step = new InstallProgramStep("install-kubectl", download, sha256.ToUpperInvariant(), destination);
        Assert.False(await step.IsDoneAsync(CancellationToken.None));

        await step.ApplyAsync(CancellationToken.None);

        Assert.True(await step.IsDoneAsync(CancellationToken.None));
        Assert.True((File.GetUnixFileMode(destination) & UnixFileMode.OtherExecute) != 0);
        await File.AppendAllTextAsync(destination, "# changed by hand\n");
        Assert.False(await step.IsDoneAsync(CancellationToken.None));
    }
}
