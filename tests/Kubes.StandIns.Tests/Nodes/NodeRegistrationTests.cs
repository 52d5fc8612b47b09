using System.Text.Json.Nodes;
using Kubes.Agent.Components.Containerd.Cri;
using Kubes.StandIns.Flags;
using Kubes.StandIns.Nodes;

namespace Kubes.StandIns.Tests.Nodes;

/// <summary>What the kubelet stand-in registers and reports, from its command line and its runtime's CRI answers.</summary>
public sealed class NodeRegistrationTests
{
    private static CommandLine Kubelet(params string[] args) => CommandLine.Parse(FlagTable.For("kubelet", new KubernetesRelease(1, 35, 7)), args);

    [Fact]
    public void A_node_label_in_the_kubernetes_io_namespace_that_is_not_the_kubelets_is_refused_as_the_kubelet_refuses_it()
    {
        var refused = Assert.Throws<StandInException>(() =>
            NodeRegistration.From(Kubelet("--hostname-override=node-0", "--node-ip=10.0.0.5", "--node-labels=node-role.kubernetes.io/worker=,kubes.io/role=node"), null));
        Assert.StartsWith("failed to validate kubelet flags: unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels: [node-role.kubernetes.io/worker]",
            refused.Message);

        var allowed = NodeRegistration.From(Kubelet("--hostname-override=node-0", "--node-ip=10.0.0.5",
            "--node-labels=node.kubernetes.io/pool=a,topology.kubernetes.io/zone=z"), null);
        Assert.Equal(("a", "z"), (allowed.Labels["node.kubernetes.io/pool"], allowed.Labels["topology.kubernetes.io/zone"]));
    }

    [Fact]
    public void Taking_over_a_node_sets_the_kubelets_own_labels_again_and_keeps_the_others()
    {
        var registration = NodeRegistration.From(Kubelet("--hostname-override=node-0", "--node-ip=10.0.0.5,fd00::5"), null);
        Assert.Equal([("InternalIP", "10.0.0.5"), ("InternalIP", "fd00::5"), ("Hostname", "node-0")], registration.Addresses);
        var node = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = "old", ["topology.kubernetes.io/zone"] = "gone", ["team"] = "a" },
            },
        };

        registration.TakeOver(node);
        var labels = node["metadata"]!["labels"]!.AsObject().ToDictionary(l => l.Key, l => l.Value!.ToString());
        Assert.Equal(("node-0", "a", false), (labels["kubernetes.io/hostname"], labels["team"], labels.ContainsKey("topology.kubernetes.io/zone")));
    }

    [Fact]
    public void Ready_needs_both_runtime_conditions_and_says_what_fails_as_the_kubelet_aggregates_it()
    {
        var version = new VersionResponse { RuntimeName = "containerd", RuntimeVersion = "1.7.2", RuntimeApiVersion = "v1" };
        RuntimeReadiness With(bool runtime, bool network) => RuntimeReadiness.From(version, new StatusResponse
        {
            Status = new RuntimeStatus
            {
                Conditions =
                {
                    new RuntimeCondition { Type = "RuntimeReady", Status = runtime, Reason = runtime ? "" : "Broken", Message = runtime ? "" : "no shim" },
                    new RuntimeCondition { Type = "NetworkReady", Status = network, Reason = network ? "" : "NetworkPluginNotReady", Message = network ? "" : "no CNI" },
                },
            },
        });

        Assert.True(With(true, true).Ready);
        Assert.Equal("containerd://1.7.2", With(true, true).RuntimeVersion);
        Assert.Equal("container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:no CNI", With(true, false).Message);
        Assert.Equal("[container runtime not ready: RuntimeReady=false reason:Broken message:no shim, " +
                     "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:no CNI]", With(false, false).Message);
        Assert.Equal("container runtime is down", With(true, true).Unanswered().Message);
        Assert.Equal("container runtime status check may not have completed yet", RuntimeReadiness.NotAskedYet.Unanswered().Message);
    }

    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("250ms", 250)]
    [InlineData("0", 0)]
    public void Go_durations_read_as_Go_reads_them(string text, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), GoDuration.Parse("nodeStatusUpdateFrequency", text));

    [Fact]
    public void A_duration_without_a_unit_is_refused() =>
        Assert.Throws<StandInException>(() => GoDuration.Parse("nodeStatusUpdateFrequency", "10"));
}
