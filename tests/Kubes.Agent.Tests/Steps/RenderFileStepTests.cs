using Kubes.Agent.FileSystem;
using Kubes.Agent.Steps;
using Kubes.Agent.Tests.Support;

namespace Kubes.Agent.Tests.Steps;

public sealed class RenderFileStepTests : IDisposable
{
    private readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task A_secret_is_written_owner_only_and_done_while_its_bytes_and_mode_are_there()
    {
        var path = _root.Join("etc", "kubes", "encryption.yaml");
        var step = new RenderFileStep("render-encryption-config", path, "secret: abc\n", AtomicFile.OwnerOnly);
        Assert.False(await step.IsDoneAsync(CancellationToken.None));

        await step.ApplyAsync(CancellationToken.None);

        Assert.True(await step.IsDoneAsync(CancellationToken.None));
        Assert.Equal("secret: abc\n", await File.ReadAllTextAsync(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task Changed_bytes_or_a_looser_mode_are_not_done()
    {
        var path = _root.Join("config.yaml");
        var step = new RenderFileStep("render-config", path, "a: 1\n", AtomicFile.OwnerOnly);
        await step.ApplyAsync(CancellationToken.None);

        await File.WriteAllTextAsync(path, "a: 2\n");
        File.SetUnixFileMode(path, AtomicFile.OwnerOnly);
        Assert.False(await step.IsDoneAsync(CancellationToken.None));

        await step.ApplyAsync(CancellationToken.None);
        File.SetUnixFileMode(path, AtomicFile.Readable);
        Assert.False(await step.IsDoneAsync(CancellationToken.None));
    }

    [Fact]
    public void Its_inputs_change_with_its_content_path_or_mode()
    {
        var path = _root.Join("config.yaml");
        var hashes = new[]
        {
            new RenderFileStep("r", path, "a", AtomicFile.Readable).InputHash,
            new RenderFileStep("r", path, "b", AtomicFile.Readable).InputHash,
            new RenderFileStep("r", path + "2", "a", AtomicFile.Readable).InputHash,
            new RenderFileStep("r", path, "a", AtomicFile.OwnerOnly).InputHash,
        };

        Assert.Equal(hashes.Length, hashes.Distinct().Count());
        Assert.Equal(hashes[0], new RenderFileStep("r", path, "a", AtomicFile.Readable).InputHash);
    }
}
