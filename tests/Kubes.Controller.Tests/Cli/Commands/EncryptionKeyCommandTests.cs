using Kubes.Controller.Cli;
using Kubes.Controller.Components.KubeApiServer;
using Kubes.Controller.Pki.Store;
using Kubes.Controller.Spec;
using Kubes.Controller.State;

namespace Kubes.Controller.Tests.Cli.Commands;

/// <summary><c>kubes encryption-key</c> on argument lines, on a local cluster's state folder: the three steps of a rotation, in order.</summary>
public sealed class EncryptionKeyCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kubes-encryption-").FullName;

    private string StateFolder => Path.Join(_folder, "state");

    private string Spec()
    {
        var path = Path.Join(_folder, "cluster.yaml");
        File.WriteAllText(path, ClusterSpecWriter.Write(ClusterSpecDefaults.Local("demo") with { StateStore = StateFolder }));
        return path;
    }

    [Fact]
    public async Task Before_kubes_up_there_is_no_key_and_nothing_is_written()
    {
        var run = await CommandLine.RunAsync($"encryption-key list -f {Spec()}");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("holds no Secret encryption key of cluster demo: create the cluster with 'kubes up' first", run.Stderr);
        Assert.False(File.Exists(Path.Join(StateFolder, "pki", "passphrase")));
    }

    [Fact]
    public async Task A_rotation_adds_a_key_makes_it_encrypt_and_retires_the_old_one()
    {
        var spec = Spec();
        var store = new FolderStateStore(StateFolder);
        var passphrase = await new ClusterPkiRepository(store).PassphraseAsync(CancellationToken.None);
        var old = Assert.Single(await new SecretEncryptionKeyStore(store, passphrase).LoadOrCreateAsync(CancellationToken.None));

        var added = await CommandLine.RunAsync($"encryption-key add -f {spec}");
        var promoted = await CommandLine.RunAsync($"encryption-key use-newest -f {spec}");
        var retired = await CommandLine.RunAsync($"encryption-key retire-others -f {spec}");
        var listed = await CommandLine.RunAsync($"encryption-key list -f {spec}");

        Assert.True(added.ExitCode == ExitCodes.Ok, added.Stderr);
        Assert.StartsWith($"{old.Name}\tencrypts and decrypts\nkey-", added.Stdout);
        Assert.Contains("\tdecrypts\n", added.Stdout);
        Assert.EndsWith($"{old.Name}\tdecrypts\nEvery controller takes the change at its next re-sync and restarts its apiserver; 'kubes status' shows them Ready again.\n",
            promoted.Stdout);
        Assert.DoesNotContain(old.Name, retired.Stdout);
        Assert.Equal(retired.Stdout.Split('\n')[0] + "\n", listed.Stdout);
        Assert.DoesNotContain(old.Secret, added.Stdout + promoted.Stdout + retired.Stdout + listed.Stdout);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
