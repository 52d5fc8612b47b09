using System.CommandLine;
using Kubes.Controller.Cli;

namespace Kubes.Controller.Tests.Cli;

public sealed class KubesCliTests
{
    private static RootCommand Throwing(Exception error)
    {
        var root = new RootCommand("test");
        var command = new Command("boom");
        command.SetAction((_, _) => Task.FromException<int>(error));
        root.Subcommands.Add(command);
        return root;
    }

    private static async Task<(int Code, string Stderr)> Run(Exception error, string? verbose = null)
    {
        var stderr = new StringWriter();
        var code = await KubesCli.InvokeAsync(Throwing(error), ["boom"], new StringWriter(), stderr,
            name => name == KubesCli.VerboseVariable ? verbose : null);
        return (code, stderr.ToString());
    }

    [Theory]
    [InlineData("init")]
    [InlineData("validate")]
    [InlineData("plan")]
    [InlineData("pki init")]
    [InlineData("up")]
    [InlineData("status")]
    [InlineData("destroy")]
    [InlineData("serve")]
    public async Task Help_names_each_default_once(string verb)
    {
        var help = await CommandLine.RunAsync($"{verb} --help");

        Assert.Equal(0, help.ExitCode);
        foreach (var line in help.Stdout.Split('\n'))
            Assert.True(line.Split("[default:").Length <= 2, $"'{verb} --help' repeats a default: {line}");
    }

    [Fact]
    public async Task An_unexpected_failure_is_one_error_line_and_exit_1_without_a_stack_trace()
    {
        var (code, stderr) = await Run(new ArgumentOutOfRangeException("offset", "100 is\noutside 10.0.0.0/26"));

        Assert.Equal(ExitCodes.Failure, code);
        var line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: 100 is outside 10.0.0.0/26", line);
        Assert.EndsWith("(ArgumentOutOfRangeException; set KUBES_VERBOSE=1 to see where it happened)", line);
    }

    [Fact]
    public async Task Kubes_verbose_adds_the_stack_trace()
    {
        var (code, stderr) = await Run(new InvalidOperationException("broken"), verbose: "1");

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("System.InvalidOperationException: broken", stderr);
        Assert.EndsWith("error: broken\n", stderr);
    }

    [Fact]
    public async Task A_known_failure_keeps_its_own_line_and_exit_code()
    {
        var (code, stderr) = await Run(new Kubes.Controller.Aws.AwsConfigurationException("no region; set AWS_REGION"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal("error: no region; set AWS_REGION\n", stderr);
    }

    [Fact]
    public async Task Validate_and_offline_plan_of_a_small_vpc_report_it_instead_of_crashing()
    {
        var folder = Directory.CreateTempSubdirectory("kubes-cli-").FullName;
        try
        {
            var path = Path.Combine(folder, "cluster.yaml");
            await File.WriteAllTextAsync(path, "apiVersion: kubes/v1\nkind: Cluster\nmetadata: {name: demo}\nspec:\n  network:\n    vpcCidr: 10.0.0.0/22\n");

            foreach (var line in new[] { $"validate -f {path}", $"plan --offline -f {path}" })
            {
                var run = await CommandLine.RunAsync(line);
                Assert.Equal(ExitCodes.BadInput, run.ExitCode);
                Assert.Contains("spec.network.vpcCidr", run.Stdout + run.Stderr);
                Assert.Contains("use a VPC of /21 or larger", run.Stdout + run.Stderr);
                Assert.DoesNotContain("   at ", run.Stdout + run.Stderr);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
