using System.Text.Json;
using Kubes.Controller.Cli;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Tests.Cli.Commands;

public sealed class PlanCommandTests : IDisposable
{
    private const string AutoScaling =
        "apiVersion: kubes/v1\nkind: Cluster\nmetadata:\n  name: demo\nspec:\n  nodes: {count: 4, min: 2, max: 6, autoScaling: true}\n";
    private readonly string folder = Directory.CreateTempSubdirectory("kubes-plan-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(ClusterSpec spec)
    {
        var path = Path.Combine(folder, "cluster.yaml");
        File.WriteAllText(path, ClusterSpecWriter.Write(spec));
        return path;
    }

    [Fact]
    public async Task A_spec_the_yaml_reader_cannot_build_exits_2_with_its_position_not_a_stack_trace()
    {
        var path = Path.Combine(folder, "cluster.yaml");
        await File.WriteAllTextAsync(path, "\tzonesnameetcd\n...\n: ...\n!!str :");

        var run = await CommandLine.RunAsync($"plan --offline -f {path}");

        Assert.True(run.ExitCode == ExitCodes.BadInput, run.Stderr);
        Assert.Contains($"{path}:4:8: is not valid YAML", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
    }

    [Fact]
    public async Task The_offline_json_plan_lists_the_cas_the_service_account_key_and_the_coordinator_certificate()
    {
        var path = Write(ClusterSpecDefaults.Aws("demo") with { Pki = new PkiSpec { KeyAlgorithm = KeyAlgorithm.Rsa2048 } });

        var run = await CommandLine.RunAsync($"plan --offline -o json -f {path}");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Stderr);
        var plan = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal(["etcd", "kubernetes", "front-proxy", "vpn"], plan.GetProperty("authorities").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        var kubernetesCa = plan.GetProperty("authorities")[1];
        Assert.Equal("kubes-demo-kubernetes-ca", kubernetesCa.GetProperty("commonName").GetString());
        Assert.Equal("3650d", kubernetesCa.GetProperty("lifetime").GetString());
        Assert.Equal("rsa-2048", plan.GetProperty("serviceAccountKey").GetProperty("keyAlgorithm").GetString());

        var certificates = plan.GetProperty("certificates").EnumerateArray().ToList();
        var coordinator = Assert.Single(certificates, c => c.TryGetProperty("listenAddress", out _));
        Assert.Equal("kubes-coordinator", coordinator.GetProperty("commonName").GetString());
        Assert.Equal("127.0.0.1", coordinator.GetProperty("listenAddress").GetString());
        var apiserver = certificates.First(c => c.GetProperty("identity").GetString() == "apiserver/controller-0");
        Assert.Equal(["digitalSignature", "keyEncipherment"], apiserver.GetProperty("keyUsages").EnumerateArray().Select(u => u.GetString()));
    }

    [Fact]
    public async Task The_offline_table_plan_shows_the_cas_and_marks_the_listen_address()
    {
        var path = Write(ClusterSpecDefaults.Local("demo"));

        var run = await CommandLine.RunAsync($"plan --offline -f {path}");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Stderr);
        Assert.Matches(@"front-proxy\s+CN=kubes-demo-front-proxy-ca\s+ecdsa-p256\s+keyCertSign\s+3650", run.Stdout);
        Assert.Contains("Service-account token signing key pair: rsa-2048 (RS256 tokens)", run.Stdout);
        Assert.Matches(@"coordinator/kubes-coordinator\s+kubernetes\s+CN=kubes-coordinator\s+10\.\d+\.0\.1 \(kubes serve --listen; default shown\)", run.Stdout);
    }

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
