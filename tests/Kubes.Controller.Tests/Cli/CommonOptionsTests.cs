using System.CommandLine;
using Kubes.Controller.Cli;

namespace Kubes.Controller.Tests.Cli;

public sealed class CommonOptionsTests
{
    private readonly Option<string> file = CommonOptions.File();
    private readonly Option<OutputFormat> output = CommonOptions.Output();
    private readonly Option<bool> local = CommonOptions.Local();
    private readonly Option<bool> yes = CommonOptions.Yes();

    private ParseResult Parse(string line) =>
        new RootCommand { file, output, local, yes }.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public void Without_flags_the_file_is_cluster_yaml_not_given_and_the_output_a_table()
    {
        var result = Parse("");

        Assert.Empty(result.Errors);
        Assert.Equal(("./cluster.yaml", false), result.GetFile(file));
        Assert.Equal(OutputFormat.Table, result.GetValue(output));
        Assert.False(result.GetValue(local));
        Assert.False(result.GetValue(yes));
    }

    [Theory]
    [InlineData("-f x.yaml -o json --local --yes", OutputFormat.Json)]
    [InlineData("--file x.yaml --output YAML --local --yes", OutputFormat.Yaml)]
    public void Short_and_long_forms_parse(string line, OutputFormat format)
    {
        var result = Parse(line);

        Assert.Empty(result.Errors);
        Assert.Equal(("x.yaml", true), result.GetFile(file));
        Assert.Equal(format, result.GetValue(output));
        Assert.True(result.GetValue(local));
        Assert.True(result.GetValue(yes));
    }

    [Theory]
    [InlineData("-o xml")]
    [InlineData("-o 1")]
    public void An_unknown_output_format_is_a_parse_error_listing_the_formats(string line)
    {
        var error = Assert.Single(Parse(line).Errors);

        Assert.Contains("use table, json, yaml", error.Message);
    }

    [Fact]
    public void The_file_given_as_the_default_path_still_counts_as_given() =>
        Assert.Equal(("./cluster.yaml", true), Parse("-f ./cluster.yaml").GetFile(file));
}
