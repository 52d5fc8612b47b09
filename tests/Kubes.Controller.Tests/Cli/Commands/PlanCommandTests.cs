using System.Text.Json;
using Kubes.Controller.Cli;

namespace Kubes.Controller.Tests.Cli.Commands;

public sealed class PlanCommandTests : IDisposable
{
    private const string AutoScaling =
        "apiVersion: kubes/v1\nkind: Cluster\nmetadata:\n  name: demo\nspec:\n  nodes: {count: 4, min: 2, max: 6, autoScaling: true}\n";
    private readonly string folder = Directory.CreateTempSubdirectory("kubes-plan-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task An_auto_scaling_group_is_planned_as_a_group_whose_nodes_are_named_by_instance_id_not_as_slots()
    {
        var path = Path.Combine(folder, "cluster.yaml");
        await File.WriteAllTextAsync(path, AutoScaling);

        var run = await CommandLine.RunAsync($"plan -f {path} --offline -o json");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.DoesNotContain(root.GetProperty("instances").EnumerateArray(), i => i.GetProperty("role").GetString() == "node");
        var group = root.GetProperty("nodeGroup");
        Assert.Equal((4, 2, 6), (group.GetProperty("desired").GetInt32(), group.GetProperty("min").GetInt32(), group.GetProperty("max").GetInt32()));
        Assert.Contains(root.GetProperty("certificates").EnumerateArray(),
            c => c.GetProperty("identity").GetString() == "kubelet-serving/<instance-id>");
        Assert.Contains(root.GetProperty("changes").EnumerateArray(),
            c => c.GetProperty("resource").GetString() == "autoscaling-group/node");
    }
}
