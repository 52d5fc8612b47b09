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
