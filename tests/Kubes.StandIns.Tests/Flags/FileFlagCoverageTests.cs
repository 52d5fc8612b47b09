using System.Text.RegularExpressions;
using Kubes.StandIns.ApiServer;
using Kubes.StandIns.Clients;
using Kubes.StandIns.Files;
using Kubes.StandIns.Flags;
using Kubes.StandIns.Nodes;

namespace Kubes.StandIns.Tests.Flags;

/// <summary>Every flag of a component's list that names a file is checked (or refused) by its stand-in, exactly once.</summary>
public sealed partial class FileFlagCoverageTests
{
    public static TheoryData<string> Components =>
        [ApiServerStandIn.Name, ControllerManagerStandIn.Name, SchedulerStandIn.Name, KubeletStandIn.Name, KubeProxyStandIn.Name];

    private static FileFlagRules RulesOf(string component) => component switch
    {
        ApiServerStandIn.Name => ApiServerStandIn.Files,
        ControllerManagerStandIn.Name => ControllerManagerStandIn.Files,
        SchedulerStandIn.Name => SchedulerStandIn.Files,
        KubeletStandIn.Name => KubeletStandIn.Files,
        _ => KubeProxyStandIn.Files,
    };

    [Theory]
    [MemberData(nameof(Components))]
    public void Every_flag_that_names_a_file_has_a_rule(string component)
    {
        var table = FlagTable.For(component, new KubernetesRelease(1, 35, 0));
        var covered = RulesOf(component).Covered.ToList();
        var unruled = table.All.Select(f => f.Name).Where(n => NamesAFile().IsMatch(n) && !NotFiles.Contains(n)).Except(covered).ToList();
        Assert.Empty(unruled);
        Assert.Equal(covered.Count, covered.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Components))]
    public void Every_rule_is_for_a_flag_the_component_has(string component)
    {
        var table = FlagTable.For(component, new KubernetesRelease(1, 35, 0));
        Assert.DoesNotContain(RulesOf(component).Covered, flag => table.Find(flag) is null);
    }

    /// <summary>
    /// Names that look like a file's but take other values: key=value pairs, counts, sizes, durations, URLs, and the CRI
    /// endpoints (sockets the kubelet dials: the kubelet stand-in asks the runtime's RuntimeService there).
    /// </summary>
    private static readonly string[] NotFiles =
    [
        "runtime-config", "container-log-max-files", "max-open-files", "file-check-frequency", "log_file_max_size", "manifest-url",
        "manifest-url-header", "container-runtime-endpoint", "image-service-endpoint",
    ];

    [GeneratedRegex("(file|config$|kubeconfig|config-to$|-dir$|-path$|filepath|manifest|certificate$|authority$|-key$|cert-key$|conf$|endpoint$)")]
    private static partial Regex NamesAFile();
}
