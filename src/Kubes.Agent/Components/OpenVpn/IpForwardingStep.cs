using Kubes.Agent.FileSystem;
using Kubes.Agent.Steps;

namespace Kubes.Agent.Components.OpenVpn;

/// <summary>
/// <c>forward-ipv4</c>: the bastion forwards packets between the tunnel and the VPC. Set in the running kernel (of the
/// instance's own network namespace, for the local provider); the sysctl.d file the component renders keeps it across
/// reboots on AWS, and the step sets it again should anything clear it.
/// </summary>
public sealed class IpForwardingStep(string procFile = IpForwardingStep.ProcFile) : IInstallStep
{
    public const string ProcFile = "/proc/sys/net/ipv4/ip_forward";

    /// <summary>The line of /etc/sysctl.d/ that keeps it on at boot.</summary>
    public const string SysctlLine = "net.ipv4.ip_forward = 1\n";

    public string Name => "forward-ipv4";

    public string InputHash => FileHash.OfInputs(procFile, "1");

    public async Task<bool> IsDoneAsync(CancellationToken cancellationToken) =>
        (await File.ReadAllTextAsync(procFile, cancellationToken)).Trim() == "1";

    public Task ApplyAsync(CancellationToken cancellationToken) => File.WriteAllTextAsync(procFile, "1\n", cancellationToken);
}
