using Kubes.Controller.Components.Addons;
using Kubes.Controller.Components.Cni;
using Kubes.Controller.Components.Containerd;
using Kubes.Controller.Components.Etcd;
using Kubes.Controller.Components.KubeApiServer;
using Kubes.Controller.Components.KubeControllerManager;
using Kubes.Controller.Components.Kubelet;
using Kubes.Controller.Components.KubeProxy;
using Kubes.Controller.Components.KubeScheduler;
using Kubes.Controller.Components.OpenVpn;
using Kubes.Controller.Components.Sshd;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Components;

/// <summary>Every component the coordinator configures: a new component is its folder plus one line here.</summary>
public static class ClusterComponents
{
    public static IReadOnlyList<IClusterComponent> All { get; } =
    [
        new EtcdComponent(),
        new KubeApiServerComponent(),
        new KubeControllerManagerComponent(),
        new KubeSchedulerComponent(),
        new AddonsComponent(),
        new ContainerdComponent(),
        new CniComponent(),
        new KubeletComponent(),
        new KubeProxyComponent(),
        new OpenVpnComponent(),
        new SshdComponent(),
    ];

    public static IEnumerable<IClusterComponent> On(InstanceRole role) => All.Where(component => component.RunsOn(role));

    public static IClusterComponent? Find(string name) => All.FirstOrDefault(component => component.Name == name);
}
