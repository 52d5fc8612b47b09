using System.Text;
using Kubes.Agent.FileSystem;
using Kubes.Agent.Processes;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Steps;

/// <summary>What a role needs of the host's kernel: modules loaded, sysctls set, swap off.</summary>
/// <param name="Modules">Loaded now and at every boot (<c>/etc/modules-load.d/kubes.conf</c>).</param>
/// <param name="Sysctls">Set now and at every boot (<c>/etc/sysctl.d/90-kubes.conf</c>), in this order.</param>
/// <param name="NamespacedSysctls">The sysctls that belong to the network namespace, not the host: the only ones an agent
/// that does not own the host's root (the local provider's instances, each in a namespace of its own) sets.</param>
public sealed record HostKernelSettings(
    IReadOnlyList<string> Modules,
    IReadOnlyList<KeyValuePair<string, string>> Sysctls,
    IReadOnlySet<string> NamespacedSysctls,
    bool SwapOff);

/// <summary>
/// <c>prepare-host</c>: the kernel as a role needs it. Where the agent owns the host's root, every module is loaded
/// (<c>modprobe</c>), every sysctl written and persisted, swap turned off; where it does not (the local provider), the
/// host is this machine and not the instance's to change: only the sysctls of the instance's own network namespace are
/// set, and the rest is logged as left alone. Done when the kernel shows every setting.
/// </summary>
public sealed class HostKernelStep(
    HostKernelSettings settings, bool ownsHost, string etcDir, CommandRunner commands, ILogger log,
    string procDir = "/proc", string sysDir = "/sys") : IInstallStep
{
    public string Name => "prepare-host";

    public string InputHash => FileHash.OfInputs(
    [
        ownsHost ? "host" : "namespace", .. settings.Modules, .. settings.Sysctls.Select(s => $"{s.Key}={s.Value}"),
        settings.SwapOff ? "swapoff" : "swap",
    ]);

    public string ModulesFile => Path.Join(etcDir, "modules-load.d", "kubes.conf");

    public string SysctlFile => Path.Join(etcDir, "sysctl.d", "90-kubes.conf");

    private IEnumerable<KeyValuePair<string, string>> ApplicableSysctls =>
        ownsHost ? settings.Sysctls : settings.Sysctls.Where(s => settings.NamespacedSysctls.Contains(s.Key));

    public async Task<bool> IsDoneAsync(CancellationToken cancellationToken)
    {
        foreach (var (key, value) in ApplicableSysctls)
        {
            if (await ReadSysctlAsync(key, cancellationToken) != value) return false;
        }
        if (!ownsHost) return true;
        return settings.Modules.All(module => Directory.Exists(Path.Join(sysDir, "module", module)))
               && (!settings.SwapOff || !await SwapIsOnAsync(cancellationToken))
               && await HasContentAsync(ModulesFile, ModulesContent, cancellationToken)
               && await HasContentAsync(SysctlFile, SysctlContent, cancellationToken);
    }

    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        if (ownsHost)
        {
            AtomicFile.WriteAllText(ModulesFile, ModulesContent, AtomicFile.Readable);
            foreach (var module in settings.Modules)
                await commands.RunCheckedAsync("modprobe", [module], cancellationToken);
            AtomicFile.WriteAllText(SysctlFile, SysctlContent, AtomicFile.Readable);
            if (settings.SwapOff) await commands.RunCheckedAsync("swapoff", ["-a"], cancellationToken);
        }
        else
        {
            log.LogInformation(
                "This instance does not own the host: its kernel modules ({Modules}), host-wide sysctls and swap are this machine's and left alone",
                string.Join(", ", settings.Modules));
        }

        foreach (var (key, value) in ApplicableSysctls)
        {
            await File.WriteAllTextAsync(SysctlPath(key), value + "\n", cancellationToken);
        }
    }

    private string ModulesContent => Header + string.Concat(settings.Modules.Select(m => m + "\n"));

    private string SysctlContent => Header + string.Concat(settings.Sysctls.Select(s => $"{s.Key} = {s.Value}\n"));

    private const string Header = "# Written by kubes-agent; changes are overwritten.\n";

    private string SysctlPath(string key) => Path.Join(procDir, "sys", key.Replace('.', '/'));

    private async Task<string?> ReadSysctlAsync(string key, CancellationToken cancellationToken)
    {
        var path = SysctlPath(key);
        return File.Exists(path) ? (await File.ReadAllTextAsync(path, cancellationToken)).Trim() : null;
    }

    /// <summary>/proc/swaps has a header line, then one line per active swap area.</summary>
    private async Task<bool> SwapIsOnAsync(CancellationToken cancellationToken)
    {
        var swaps = Path.Join(procDir, "swaps");
        return File.Exists(swaps) && (await File.ReadAllLinesAsync(swaps, cancellationToken)).Skip(1).Any(l => l.Trim().Length > 0);
    }

    private static async Task<bool> HasContentAsync(string path, string content, CancellationToken cancellationToken) =>
        File.Exists(path) && await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken) == content;
}
