using System.Text.Json;
using Kubes.Controller.Cli;

namespace Kubes.Controller.Tests.Cli.Commands;

public sealed class ValidateCommandTests : IDisposable
{
    private const string Valid = "apiVersion: kubes/v1\nkind: Cluster\nmetadata:\n  name: demo\nspec:\n  nodes: {count: 4}\n";
    private const string Invalid = "apiVersion: kubes/v1\nkind: Cluster\nmetadata:\n  name: demo\nspec:\n  etcd:\n    count: 4\n  nodez: 1\n";
    private readonly string folder = Directory.CreateTempSubdirectory("kubes-validate-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string name, string yaml)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public async Task A_valid_file_says_so_with_the_cluster_provider_and_instance_count()
    {
        var path = Write("cluster.yaml", Valid);

        var run = await CommandLine.RunAsync($"validate -f {path}");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal($"{path}: valid (cluster demo, provider aws, 11 instances)\n", run.Stdout);
    }

    [Fact]
    public async Task An_invalid_file_lists_every_problem_in_a_table_and_exits_2()
    {
        var path = Write("cluster.yaml", Invalid);

        var run = await CommandLine.RunAsync($"validate --file {path}");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        var rows = run.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(3, rows.Length);
        Assert.Matches(@"^LOCATION\s+FIELD\s+PROBLEM$", rows[0]);
        Assert.Matches($@"^{path}:7:12\s+spec\.etcd\.count\s+must be 1, 3, 5 or 7", rows[1]);
        Assert.Matches($@"^{path}:8:3\s+spec\.nodez\s+unknown field \(did you mean nodes\?\)", rows[2]);
        Assert.Equal($"{path}: 2 problems\n", run.Stderr);
    }

    [Fact]
    public async Task Json_output_is_an_array_of_path_line_column_and_message()
    {
        var path = Write("cluster.yaml", Invalid);

        var run = await CommandLine.RunAsync($"validate -f {path} -o json");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        var problems = json.RootElement.EnumerateArray()
            .Select(p => (p.GetProperty("path").GetString(), p.GetProperty("line").GetInt32(), p.GetProperty("column").GetInt32(),
                p.GetProperty("message").GetString()!.Length > 0))
            .ToList();
        Assert.Equal([("spec.etcd.count", 7, 12, true), ("spec.nodez", 8, 3, true)], problems);
    }

    [Fact]
    public async Task Json_output_of_a_valid_file_is_an_empty_array()
    {
        var path = Write("cluster.yaml", Valid);

        var run = await CommandLine.RunAsync($"validate -f {path} -o JSON");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Empty(JsonDocument.Parse(run.Stdout).RootElement.EnumerateArray());
        Assert.Contains("valid (cluster demo", run.Stderr);
    }

    [Fact]
    public async Task An_unknown_etcd_flag_is_bad_input_naming_its_field_and_line()
    {
        var path = Write("cluster.yaml", Valid + "  components:\n    etcd:\n      extraArgs:\n        log-level: warn\n        no-such-flag: \"1\"\n");

        var run = await CommandLine.RunAsync($"validate -f {path}");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Matches($@"^{path}:11:23\s+spec\.components\.etcd\.extraArgs\.no-such-flag\s+etcd 3\.6 has no flag --no-such-flag$",
            run.Stdout.TrimEnd('\n').Split('\n')[1]);
        Assert.Equal($"{path}: 1 problem\n", run.Stderr);
    }

    [Fact]
    public async Task A_flag_kubes_sets_for_the_trust_model_is_bad_input_with_the_reason()
    {
        var path = Write("cluster.yaml", Valid + "  components:\n    etcd:\n      extraArgs:\n        client-cert-auth: \"false\"\n");

        var run = await CommandLine.RunAsync($"validate -f {path} -o json");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        var problem = Assert.Single(JsonDocument.Parse(run.Stdout).RootElement.EnumerateArray());
        Assert.Equal(("spec.components.etcd.extraArgs.client-cert-auth", 10),
            (problem.GetProperty("path").GetString(), problem.GetProperty("line").GetInt32()));
        Assert.Contains("cannot be overridden: Kubes sets the member's TLS", problem.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_missing_file_is_bad_input_naming_the_file()
    {
        var path = Path.Combine(folder, "absent.yaml");

        var run = await CommandLine.RunAsync($"validate -f {path}");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{path}  -  ", run.Stdout);
        Assert.Contains("Could not find file", run.Stdout);
    }

    [Fact]
    public async Task Yaml_output_is_not_offered_by_validate()
    {
        var run = await CommandLine.RunAsync($"validate -f {Write("cluster.yaml", Valid)} -o yaml");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("'yaml' is not an output format of this command; use table, json", run.Stderr);
    }

    [Fact]
    public async Task Local_without_a_file_validates_the_embedded_local_spec()
    {
        // The tests run in their output folder, which has no cluster.yaml.
        Assert.False(File.Exists(CommonOptions.DefaultSpecFile));

        var run = await CommandLine.RunAsync("validate --local");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal($"{SpecFile.EmbeddedLocalSource}: valid (cluster kubes, provider local, 10 instances)\n", run.Stdout);
    }

    [Fact]
    public async Task Local_with_an_aws_file_is_bad_input()
    {
        var path = Write("cluster.yaml", Valid);

        var run = await CommandLine.RunAsync($"validate --local -f {path}");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("spec.provider", run.Stdout);
        Assert.Contains("is aws but --local was given", run.Stdout);
    }

    [Fact]
    public async Task A_file_written_by_init_validates()
    {
        var init = await CommandLine.RunAsync("init --name demo --local");
        var path = Write("cluster.yaml", init.Stdout);

        var run = await CommandLine.RunAsync($"validate -f {path}");

        Assert.Equal((ExitCodes.Ok, $"{path}: valid (cluster demo, provider local, 10 instances)\n"), (run.ExitCode, run.Stdout));
    }
}
