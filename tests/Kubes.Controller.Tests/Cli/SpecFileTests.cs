using Kubes.Controller.Cli;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Tests.Cli;

public sealed class SpecFileTests : IDisposable
{
    private const string Head = "apiVersion: kubes/v1\nkind: Cluster\nmetadata:\n  name: demo\n";
    private readonly string folder = Directory.CreateTempSubdirectory("kubes-specfile-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string yaml)
    {
        var path = Path.Combine(folder, "cluster.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void Local_with_no_file_given_and_none_present_is_the_embedded_local_spec()
    {
        var result = SpecFile.Resolve(Path.Combine(folder, "cluster.yaml"), fileWasGiven: false, local: true);

        Assert.True(result.IsValid);
        Assert.Equal(ClusterSpecDefaults.Local(), result.Spec);
        Assert.Equal(SpecFile.EmbeddedLocalSource, result.SourceName);
    }

    [Fact]
    public void Local_with_the_default_file_present_loads_it()
    {
        var path = Write(Head + "spec: {provider: local, nodes: {count: 4}}\n");

        var result = SpecFile.Resolve(path, fileWasGiven: false, local: true);

        Assert.True(result.IsValid);
        Assert.Equal(4, result.Spec.Nodes.Count);
    }

    [Fact]
    public void Local_with_a_given_file_that_is_missing_is_an_error_not_the_default()
    {
        var result = SpecFile.Resolve(Path.Combine(folder, "absent.yaml"), fileWasGiven: true, local: true);

        Assert.False(result.IsValid);
        Assert.Contains("Could not find file", result.Problems[0].Message);
    }

    [Fact]
    public void A_file_whose_provider_is_local_selects_the_local_provider_without_the_flag()
    {
        var result = SpecFile.Resolve(Write(Head + "spec:\n  provider: local\n"), fileWasGiven: true, local: false);

        Assert.True(result.IsValid);
        Assert.Equal(ProviderKind.Local, result.Spec.Provider);
    }

    [Fact]
    public void An_aws_file_with_the_local_flag_is_refused_at_the_provider_line()
    {
        var result = SpecFile.Resolve(Write(Head + "spec:\n  provider: aws\n"), fileWasGiven: true, local: true);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(("spec.provider", 6), (problem.Path, problem.Line));
    }

    [Fact]
    public void No_file_and_no_local_flag_tells_how_to_get_a_spec()
    {
        var path = Path.Combine(folder, "cluster.yaml");

        var line = Assert.Single(SpecFile.Resolve(path, fileWasGiven: false, local: false).FormatProblems());

        Assert.Equal($"{path}: not found; write one with 'kubes init --name NAME > cluster.yaml', pass -f FILE, or use --local for a cluster on this machine", line);
    }

    [Fact]
    public async Task ResolveAsync_writes_each_problem_as_file_line_column_path_message()
    {
        var path = Write(Head + "spec:\n  etcd:\n    count: 4\n");
        var file = CommonOptions.File();
        var local = CommonOptions.Local();
        var command = new System.CommandLine.RootCommand { file, local };
        var stderr = new StringWriter();

        var spec = await SpecFile.ResolveAsync(command.Parse(["-f", path]), file, local, stderr);

        Assert.Null(spec);
        Assert.Equal($"{path}:7:12: spec.etcd.count: must be 1, 3, 5 or 7: etcd needs an odd number of members for quorum (got 4)\n",
            stderr.ToString());
    }
}
