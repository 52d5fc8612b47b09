using System.CommandLine;
using Kubes.Controller.Cli;
using Kubes.Controller.Cli.Commands;
using Kubes.Controller.Pki.Store;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Pki.Support;

namespace Kubes.Controller.Tests.Cli.Commands;

public class PkiCommandTests
{
    private const string Secret = "a passphrase for tests";

    private sealed record Run(int ExitCode, string Stdout, string Stderr);

    private static async Task<Run> Kubes(string[] args, Dictionary<string, string>? environment = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var root = new RootCommand { PkiCommand.Create(stdout, stderr, name => environment?.GetValueOrDefault(name)) };
        var parsed = root.Parse(args);
        var exit = parsed.Errors.Count > 0
            ? ExitCodes.BadInput
            : await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return new Run(exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Init_writes_the_PKI_through_the_kubes_command_line()
    {
        using var folder = new TempFolder();
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await KubesCli.RunAsync(
            ["pki", "init", "--local", "--out", folder.Combine("pki"), "--passphrase-file",
             folder.Write("pass", Secret + "\n")], stdout, stderr);

        // --local without a file: the embedded local spec, the cluster 'kubes up --local' creates.
        Assert.True(exit == ExitCodes.Ok, stderr.ToString());
        Assert.Contains($"Created the PKI of cluster {ClusterSpecDefaults.DefaultName}", stdout.ToString(), StringComparison.Ordinal);
        foreach (var name in PkiFileSet.FileNames)
            Assert.Contains(folder.Combine(Path.Combine("pki", name)), stdout.ToString(), StringComparison.Ordinal);
        using var loaded = await new FolderCaKeyStore(folder.Combine("pki"), CaPassphrase.From(Secret, "test")).LoadAsync();
        Assert.Equal($"CN=kubes-{ClusterSpecDefaults.DefaultName}-etcd-ca", loaded.Etcd.Certificate.Subject);
    }

    [Fact]
    public async Task Init_takes_the_passphrase_from_the_environment_and_the_name_and_key_algorithm_from_the_spec()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("cluster.yaml", ClusterSpecWriter.Write(ClusterSpecDefaults.Aws("prod", "eu-west-1") with
        {
            Pki = new PkiSpec { KeyAlgorithm = KeyAlgorithm.Rsa2048, CaLifetime = Lifetime.FromDays(730) },
        }));

        var run = await Kubes(["pki", "init", "-f", spec, "--out", folder.Combine("pki")],
            new() { [CaPassphrase.EnvironmentVariable] = Secret });

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Stderr);
        Assert.Contains("Created the PKI of cluster prod", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("RSA 2048", run.Stdout, StringComparison.Ordinal);
        var show = await Kubes(["pki", "show", folder.Combine("pki")]);
        Assert.Equal(ExitCodes.Ok, show.ExitCode);
        Assert.Contains("CN=kubes-prod-front-proxy-ca", show.Stdout, StringComparison.Ordinal);
        Assert.Equal(4, show.Stdout.Split('\n').Count(l => l.Contains("key          RSA 2048", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Init_reports_every_problem_of_an_invalid_spec_and_writes_nothing()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("cluster.yaml", """
            apiVersion: kubes/v1
            kind: Cluster
            metadata:
              name: Prod
            spec:
              pki:
                keyAlgorithm: rsa-1024
              etcd: {count: 2}
            """);

        var run = await Kubes(["pki", "init", "-f", spec, "--out", folder.Combine("pki")],
            new() { [CaPassphrase.EnvironmentVariable] = Secret });

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{spec}:4:9: metadata.name:", run.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{spec}:7:19: spec.pki.keyAlgorithm:", run.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{spec}:8:17: spec.etcd.count:", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Combine("pki")));
    }

    [Fact]
    public async Task Init_refuses_the_old_flat_format_with_the_field_it_does_not_know()
    {
        using var folder = new TempFolder();
        var spec = folder.Write("cluster.yaml", "apiVersion: kubes/v1\nkind: Cluster\nname: prod\n");

        var run = await Kubes(["pki", "init", "-f", spec, "--out", folder.Combine("pki")],
            new() { [CaPassphrase.EnvironmentVariable] = Secret });

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("name: unknown field", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Combine("pki")));
    }

    [Fact]
    public async Task Init_without_a_passphrase_changes_nothing_and_says_what_to_do()
    {
        using var folder = new TempFolder();

        var run = await Kubes(["pki", "init", "--local", "--out", folder.Combine("pki")]);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("--passphrase-file", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(CaPassphrase.EnvironmentVariable, run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Combine("pki")));
    }

    [Fact]
    public async Task Init_refuses_a_folder_that_is_not_empty()
    {
        using var folder = new TempFolder();
        folder.Write("notes.txt", "mine");

        var run = await Kubes(["pki", "init", "--local", "--out", folder.Path],
            new() { [CaPassphrase.EnvironmentVariable] = Secret });

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("is not empty", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(["notes.txt"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("pki init --local -f {0}/missing.yaml --out {0}/pki")]
    [InlineData("pki init -f {0}/missing.yaml --out {0}/pki")]
    [InlineData("pki init --name x --local --out {0}/pki")]
    [InlineData("pki init --local")]
    [InlineData("pki show {0}/nothing-here")]
    public async Task Bad_input_exits_with_2(string line)
    {
        using var folder = new TempFolder();

        var run = await Kubes(string.Format(line, folder.Path).Split(' '), new() { [CaPassphrase.EnvironmentVariable] = Secret });

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
    }

    [Fact]
    public async Task A_short_passphrase_is_refused()
    {
        using var folder = new TempFolder();

        var run = await Kubes(["pki", "init", "--local", "--out", folder.Combine("pki")],
            new() { [CaPassphrase.EnvironmentVariable] = "short" });

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("at least 12", run.Stderr, StringComparison.Ordinal);
    }
}
