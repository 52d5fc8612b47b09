using Kubes.Controller.Cli;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Tests.Cli.Commands;

/// <summary>
/// <c>kubes vpn</c>, <c>kubes ssh</c> and <c>kubes ssh-config</c> on argument lines, on a local cluster that <c>kubes up</c>
/// has not made yet: bad input is exit 2, a way in that cannot be opened yet is exit 1 with what to do.
/// </summary>
public sealed class AccessCommandsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kubes-access-").FullName;

    private string Spec(ClusterSpec? spec = null)
    {
        var path = Path.Join(_folder, $"cluster-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, ClusterSpecWriter.Write((spec ?? ClusterSpecDefaults.Local("demo")) with { StateStore = Path.Join(_folder, "state") }));
        return path;
    }

    [Fact]
    public async Task A_profile_name_that_could_be_a_path_is_bad_input_and_nothing_is_written()
    {
        var run = await CommandLine.RunAsync($"vpn profile ../alice -f {Spec()}");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("'../alice' is not a VPN profile name", run.Stderr);
        Assert.False(Directory.Exists(Path.Join(_folder, "state", "vpn")));
    }

    [Fact]
    public async Task Without_a_bastion_there_is_no_profile_and_no_ssh()
    {
        var spec = Spec(ClusterSpecDefaults.Local("demo") with { Bastion = new BastionSpec { Count = 0 } });

        var vpn = await CommandLine.RunAsync($"vpn profile alice -f {spec}");
        var ssh = await CommandLine.RunAsync($"ssh etcd-0 -f {spec}");

        Assert.Equal(ExitCodes.Failure, vpn.ExitCode);
        Assert.Contains("spec.bastion.count is 0", vpn.Stderr);
        Assert.Equal(ExitCodes.Failure, ssh.ExitCode);
        Assert.Contains("spec.bastion.count is 0", ssh.Stderr);
    }

    [Fact]
    public async Task Before_kubes_up_the_commands_say_to_run_it()
    {
        var spec = Spec();

        var profile = await CommandLine.RunAsync($"vpn profile alice -f {spec}");
        var revoke = await CommandLine.RunAsync($"vpn revoke alice -f {spec}");
        var list = await CommandLine.RunAsync($"vpn list -f {spec}");

        Assert.Equal(ExitCodes.Failure, profile.ExitCode);
        Assert.Contains("bastion-0 has not joined cluster demo yet: run 'kubes up'", profile.Stderr);
        Assert.Equal(ExitCodes.Failure, revoke.ExitCode);
        Assert.Contains("create the cluster with 'kubes up' first", revoke.Stderr);
        Assert.True(list.ExitCode == ExitCodes.Ok, list.Stderr);
        Assert.Contains("No VPN profile was issued yet", list.Stdout);
    }

    [Fact]
    public async Task An_instance_the_cluster_does_not_have_is_named_with_those_it_has()
    {
        var run = await CommandLine.RunAsync($"ssh etcd-9 -f {Spec()} -- hostname");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("cluster demo has no instance 'etcd-9'; its instances are bastion-0, etcd-0", run.Stderr);
    }

    [Fact]
    public async Task Removing_a_block_that_is_not_there_changes_nothing()
    {
        var config = Path.Join(_folder, "ssh", "config");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        await File.WriteAllTextAsync(config, "Host *\n    User me\n");

        var run = await CommandLine.RunAsync($"ssh-config --remove --config {config} -f {Spec()}");

        Assert.True(run.ExitCode == ExitCodes.Ok, run.Stderr);
        Assert.Contains("has no block of cluster demo: nothing to remove", run.Stdout);
        Assert.Equal("Host *\n    User me\n", await File.ReadAllTextAsync(config));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
