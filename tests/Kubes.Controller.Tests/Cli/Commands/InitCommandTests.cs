using Kubes.Controller.Cli;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Tests.Cli.Commands;

public sealed class InitCommandTests
{
    [Theory]
    [InlineData("init --name demo", "aws", "us-east-1")]
    [InlineData("init -n demo --region eu-west-1", "aws", "eu-west-1")]
    [InlineData("init --name demo --local", "local", "")]
    public async Task Prints_a_spec_that_loads_back_equal_to_the_defaults(string line, string provider, string region)
    {
        var run = await CommandLine.RunAsync(line);

        Assert.Equal((ExitCodes.Ok, ""), (run.ExitCode, run.Stderr));
        var loaded = ClusterSpecLoader.Load(run.Stdout, "stdout");
        Assert.True(loaded.IsValid, string.Join("\n", loaded.FormatProblems()));
        Assert.Equal(provider == "local" ? ClusterSpecDefaults.Local("demo") : ClusterSpecDefaults.Aws("demo", region), loaded.Spec);
    }

    [Fact]
    public async Task Every_field_carries_a_comment()
    {
        var run = await CommandLine.RunAsync("init --name demo");

        Assert.All(run.Stdout.TrimEnd('\n').Split('\n'), line => Assert.Contains("# ", line));
    }

    [Theory]
    [InlineData("init --name demo", "1.36.3")]
    [InlineData("init --name demo --local", "1.36.3")]
    public async Task Shows_the_newest_supported_kubernetes_release_and_which_minors_are_supported(string line, string version)
    {
        var run = await CommandLine.RunAsync(line);

        Assert.Contains($"kubernetesVersion: {version}", run.Stdout);
        Assert.Contains("supported: 1.35.x, 1.36.x", run.Stdout);
    }

    [Theory]
    [InlineData("init --name demo")]
    [InlineData("init --name demo --local")]
    public async Task Shows_a_commented_component_override_that_validates_once_uncommented(string line)
    {
        var run = await CommandLine.RunAsync(line);
        var lines = run.Stdout.TrimEnd('\n').Split('\n');
        var components = Array.FindIndex(lines, l => l.StartsWith("  components: {}", StringComparison.Ordinal));
        Assert.True(components > 0, run.Stdout);
        var example = lines.Skip(components + 1).TakeWhile(l => l.StartsWith("  #", StringComparison.Ordinal)).ToList();
        Assert.Contains(example, l => l.Contains("extraArgs:", StringComparison.Ordinal));

        var uncommented = lines.Take(components).Append("  components:").Concat(example.Select(l => "  " + l[3..]));
        var loaded = ClusterSpecLoader.Load(string.Join('\n', uncommented), "uncommented");

        Assert.True(loaded.IsValid, string.Join("\n", loaded.FormatProblems()));
        Assert.Equal(ClusterSpecWriter.ComponentsExample, loaded.Spec.Components);
    }

    [Theory]
    [InlineData("init --name Demo", "--name", "DNS-1123")]
    [InlineData("init --name a123456789b123456789c123456789d123456789e", "--name", "1 to 40")]
    [InlineData("init --name demo --region mars", "--region", "must be an AWS region")]
    [InlineData("init --name demo --local --region us-east-1", "--region", "the local provider's region is local-1")]
    [InlineData("init", "--name", "is required")]
    [InlineData("init --name demo --colour blue", "--colour", "Unrecognized")]
    public async Task Bad_input_is_exit_code_2_with_the_flag_named_and_nothing_printed(string line, string flag, string message)
    {
        var run = await CommandLine.RunAsync(line);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Contains(flag, run.Stderr);
        Assert.Contains(message, run.Stderr);
    }
}
