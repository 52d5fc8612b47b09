using Kubes.Agent.Components.Containerd;
using Kubes.Agent.Processes;
using Kubes.Agent.Steps;
using Kubes.Agent.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Agent.Tests.Steps;

/// <summary>
/// prepare-host against a kernel of its own: /proc and /sys are folders of the test, so this machine's kernel is never
/// touched (modprobe and swapoff, which only a host's owner runs, are not run here).
/// </summary>
public sealed class HostKernelStepTests : IDisposable
{
    private readonly TempRoot _root = new("kubes-kernel-");

    public void Dispose() => _root.Dispose();

    private string Proc => _root.Join("proc");
    private string Sys => _root.Join("sys");

    private HostKernelStep Step(bool ownsHost) =>
        new(NodeKernel.Settings, ownsHost, _root.Join("etc"), new CommandRunner(), NullLogger.Instance, Proc, Sys);

    private void Kernel(string swaps, params (string Key, string Value)[] sysctls)
    {
        foreach (var (key, value) in sysctls)
        {
            var path = Path.Join(Proc, "sys", key.Replace('.', '/'));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, value + "\n");
        }
        File.WriteAllText(Path.Join(Proc, "swaps"), swaps);
    }

    private string Sysctl(string key) => File.ReadAllText(Path.Join(Proc, "sys", key.Replace('.', '/'))).Trim();

    [Fact]
    public async Task An_instance_that_does_not_own_the_host_sets_only_its_network_namespaces_forwarding()
    {
        Directory.CreateDirectory(Proc);
        Kernel("Filename Type Size Used Priority\n/swapfile file 1024 0 -2\n", ("net.ipv4.ip_forward", "0"), ("vm.overcommit_memory", "0"));
        var step = Step(ownsHost: false);

        Assert.False(await step.IsDoneAsync(CancellationToken.None));
        await step.ApplyAsync(CancellationToken.None);

        Assert.True(await step.IsDoneAsync(CancellationToken.None));
        Assert.Equal("1", Sysctl("net.ipv4.ip_forward"));
        Assert.Equal("0", Sysctl("vm.overcommit_memory"));
        Assert.False(File.Exists(step.SysctlFile));
        Assert.False(File.Exists(step.ModulesFile));
    }

    [Fact]
    public async Task On_its_own_host_the_step_is_done_only_with_every_module_sysctl_persisted_file_and_no_swap()
    {
        Directory.CreateDirectory(Proc);
        Kernel("Filename Type Size Used Priority\n", [.. NodeKernel.Settings.Sysctls.Select(s => (s.Key, s.Value))]);
        foreach (var module in NodeKernel.Settings.Modules) Directory.CreateDirectory(Path.Join(Sys, "module", module));
        var step = Step(ownsHost: true);
        Assert.False(await step.IsDoneAsync(CancellationToken.None));

        Directory.CreateDirectory(Path.GetDirectoryName(step.SysctlFile)!);
        Directory.CreateDirectory(Path.GetDirectoryName(step.ModulesFile)!);
        await File.WriteAllTextAsync(step.SysctlFile, "# Written by kubes-agent; changes are overwritten.\n"
            + string.Concat(NodeKernel.Settings.Sysctls.Select(s => $"{s.Key} = {s.Value}\n")));
        await File.WriteAllTextAsync(step.ModulesFile, "# Written by kubes-agent; changes are overwritten.\noverlay\nbr_netfilter\n");
        Assert.True(await step.IsDoneAsync(CancellationToken.None));

        File.WriteAllText(Path.Join(Proc, "swaps"), "Filename Type Size Used Priority\n/dev/sdb2 partition 4096 0 -2\n");
        Assert.False(await step.IsDoneAsync(CancellationToken.None));
        File.WriteAllText(Path.Join(Proc, "swaps"), "Filename Type Size Used Priority\n");
        Directory.Delete(Path.Join(Sys, "module", "br_netfilter"));
        Assert.False(await step.IsDoneAsync(CancellationToken.None));
    }

    [Fact]
    public void Owning_the_host_or_not_is_part_of_the_steps_inputs() =>
        Assert.NotEqual(Step(ownsHost: true).InputHash, Step(ownsHost: false).InputHash);
}
