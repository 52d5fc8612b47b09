using Kubes.Agent.Steps;

namespace Kubes.Agent.Components.Containerd;

/// <summary>
/// What a node needs of its kernel, in one place: overlay for containerd's snapshots; br_netfilter and the bridge
/// sysctls so bridged pod traffic passes kube-proxy's rules; forwarding for pod traffic; the values a kubelet with
/// <c>protectKernelDefaults</c> insists on; and no swap (the kubelet's <c>failSwapOn</c>).
/// </summary>
public static class NodeKernel
{
    public const string IpForward = "net.ipv4.ip_forward";

    public static HostKernelSettings Settings { get; } = new(
        Modules: ["overlay", "br_netfilter"],
        Sysctls:
        [
            new("net.bridge.bridge-nf-call-iptables", "1"),
            new("net.bridge.bridge-nf-call-ip6tables", "1"),
            new(IpForward, "1"),
            new("vm.overcommit_memory", "1"),
            new("vm.panic_on_oom", "0"),
            new("kernel.panic", "10"),
            new("kernel.panic_on_oops", "1"),
        ],
        NamespacedSysctls: new HashSet<string>([IpForward]),
        SwapOff: true);
}
