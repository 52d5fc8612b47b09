using System.Text.RegularExpressions;
using Kubes.Controller.Components;

namespace Kubes.Controller.Spec;

/// <summary>
/// Checks a mapped spec against every rule the cluster depends on. Pure: the same spec gives the same
/// problems, each naming the field, its place in the file (from <see cref="SpecLocations"/>) and the allowed values.
/// </summary>
public static partial class SpecValidator
{
    public static IReadOnlyList<SpecProblem> Validate(ClusterSpec spec, SpecLocations? locations = null)
    {
        var problems = new SpecProblemList(locations ?? SpecLocations.None);
        CheckName(spec, problems);
        CheckRegionAndZones(spec, problems);
        CheckKubernetesVersion(spec, problems);
        NetworkValidator.Check(spec, problems);
        AccessValidator.Check(spec, problems);
        CheckGroups(spec, problems);
        CheckStateStore(spec, problems);
        CheckAgentChannel(spec, problems);
        CheckImage(spec, problems);
        CheckPki(spec, problems);
        if (Artifacts.ArtifactSite.ProblemWith(spec.Artifacts.BaseUrl) is { } artifactSite)
            problems.Add("spec.artifacts.baseUrl", artifactSite);
        ComponentOverrides.Check(spec, problems);
        CheckAddons(spec, problems);
        return problems.Items;
    }

    /// <summary>An add-on Kubes cannot deploy is refused, rather than accepted and left out.</summary>
    private static void CheckAddons(ClusterSpec spec, SpecProblemList problems)
    {
        if (spec.Addons.Monitoring)
            problems.Add("spec.addons.monitoring", "Kubes does not deploy Prometheus and Grafana yet (docs/addons.md, 'Not yet'); "
                + "set it to false or leave it out, and install monitoring into the cluster yourself");
    }

    /// <summary>The most controllers whose fixed addresses fit below the first local node address.</summary>
    public static int MaxControllers =>
        SpecLimits.ZoneCount * (int)(Topology.ClusterTopology.NodeOffset - Topology.ClusterTopology.ControllerOffset);

    private static void CheckName(ClusterSpec spec, SpecProblemList problems)
    {
        const string path = "metadata.name";
        if (spec.Name.Length == 0)
            problems.Add(path, "is required; give the cluster a name, like 'name: demo'");
        else if (spec.Name.Length > SpecLimits.MaxNameLength || !DnsLabel().IsMatch(spec.Name))
            problems.Add(path, $"must be a DNS-1123 label: 1 to {SpecLimits.MaxNameLength} lower-case letters, digits and '-', "
                + $"starting and ending with a letter or digit (got '{spec.Name}', {spec.Name.Length} characters)");
    }

    private static void CheckRegionAndZones(ClusterSpec spec, SpecProblemList problems)
    {
        if (spec.Provider == ProviderKind.Aws && !AwsRegion().IsMatch(spec.Region))
            problems.Add("spec.region", $"must be an AWS region, like us-east-1 or eu-central-1 (got '{spec.Region}')");
        if (spec.Provider == ProviderKind.Local && !LocalRegion().IsMatch(spec.Region))
            problems.Add("spec.region", $"must be local-N for the local provider, like {ClusterSpecDefaults.LocalRegion} (got '{spec.Region}')");

        if (spec.Zones.Count != SpecLimits.ZoneCount)
            problems.Add("spec.zones", $"must list exactly {SpecLimits.ZoneCount} zones of the region, like "
                + $"[{string.Join(", ", ClusterSpecDefaults.ZonesOf(spec.Region))}] (got {spec.Zones.Count})");
        for (var i = 0; i < spec.Zones.Count; i++)
        {
            var zone = spec.Zones[i];
            var first = spec.Zones.Take(i).ToList().IndexOf(zone);
            if (first >= 0)
                problems.Add($"spec.zones[{i}]", $"repeats spec.zones[{first}] ('{zone}'); the zones must differ");
            else if (zone.Length != spec.Region.Length + 1 || !zone.StartsWith(spec.Region, StringComparison.Ordinal)
                || !char.IsAsciiLetterLower(zone[^1]))
                problems.Add($"spec.zones[{i}]", $"must be the region followed by one letter, like {spec.Region}a (got '{zone}')");
        }
    }

    private static void CheckKubernetesVersion(ClusterSpec spec, SpecProblemList problems)
    {
        if (!KubernetesVersions.IsSupported(spec.KubernetesVersion))
            problems.Add("spec.kubernetesVersion", $"must be a supported release major.minor.patch (an optional leading v): "
                + $"{SpecLimits.SupportedKubernetesVersions}, like {KubernetesVersions.Default} (got '{spec.KubernetesVersion}')");
    }

    private static void CheckGroups(ClusterSpec spec, SpecProblemList problems)
    {
        if (spec.Bastion.Count is < 0 or > SpecLimits.MaxBastions)
            problems.Add("spec.bastion.count", $"must be 0 (no bastion) or 1 (got {spec.Bastion.Count})");
        if (!SpecLimits.EtcdCounts.Contains(spec.Etcd.Count))
            problems.Add("spec.etcd.count", $"must be {Alternatives(SpecLimits.EtcdCounts)}: etcd needs an odd number "
                + $"of members for quorum (got {spec.Etcd.Count})");
        if (spec.Controllers.Count < SpecLimits.MinControllers || spec.Controllers.Count > MaxControllers)
            problems.Add("spec.controllers.count", $"must be between {SpecLimits.MinControllers} and {MaxControllers} "
                + $"(got {spec.Controllers.Count})");
        CheckNodeCounts(spec.Nodes, problems);

        CheckGroup("spec.bastion", spec.Bastion, problems);
        CheckGroup("spec.etcd", spec.Etcd, problems);
        CheckGroup("spec.controllers", spec.Controllers, problems);
        CheckGroup("spec.nodes", spec.Nodes, problems);
    }

    private static void CheckNodeCounts(NodeGroupSpec nodes, SpecProblemList problems)
    {
        if (nodes.Min < 0)
            problems.Add("spec.nodes.min", $"must be 0 or more (got {nodes.Min})");
        if (nodes.Max < SpecLimits.MinNodes || nodes.Max > SpecLimits.MaxNodes)
            problems.Add("spec.nodes.max", $"must be between {SpecLimits.MinNodes} and {SpecLimits.MaxNodes} (got {nodes.Max})");
        var boundsCross = nodes.Min > nodes.Max;
        if (boundsCross)
        {
            // Reported at the bound the file sets, so the line shown is the operator's own.
            if (problems.IsSetInFile("spec.nodes.min") || !problems.IsSetInFile("spec.nodes.max"))
                problems.Add("spec.nodes.min", $"must be at most spec.nodes.max ({nodes.Max}) (got {nodes.Min})");
            else
                problems.Add("spec.nodes.max", $"must be at least spec.nodes.min ({nodes.Min}) (got {nodes.Max})");
        }
        if (nodes.Count < SpecLimits.MinNodes)
            problems.Add("spec.nodes.count", $"must be at least {SpecLimits.MinNodes}: workloads need a node (got {nodes.Count})");
        // With crossed bounds no count fits both; the bounds are the problem to fix first.
        else if (!boundsCross && nodes.Count < nodes.Min)
            problems.Add("spec.nodes.count", $"must be at least spec.nodes.min ({nodes.Min}) (got {nodes.Count})");
        else if (!boundsCross && nodes.Count > nodes.Max)
            problems.Add("spec.nodes.count", $"must be at most spec.nodes.max ({nodes.Max}) (got {nodes.Count})");
    }

    private static void CheckGroup(string path, InstanceGroupSpec group, SpecProblemList problems)
    {
        if (!InstanceType().IsMatch(group.InstanceType))
            problems.Add($"{path}.instanceType", $"must be an EC2 instance type family.size, like t3.medium or m7i.large (got '{group.InstanceType}')");
        if (group.RootVolumeSizeGiB is < SpecLimits.MinRootVolumeGiB or > SpecLimits.MaxVolumeGiB)
            problems.Add($"{path}.rootVolumeSizeGiB", $"must be between {SpecLimits.MinRootVolumeGiB} and {SpecLimits.MaxVolumeGiB} GiB "
                + $"(got {group.RootVolumeSizeGiB})");
        if (group.VolumeSizeGiB is < 0 or > SpecLimits.MaxVolumeGiB)
            problems.Add($"{path}.volumeSizeGiB", $"must be 0 (no data volume) or 1 to {SpecLimits.MaxVolumeGiB} GiB (got {group.VolumeSizeGiB})");
    }

    private static void CheckStateStore(ClusterSpec spec, SpecProblemList problems)
    {
        const string path = "spec.stateStore";
        var store = spec.StateStore;
        if (spec.Provider == ProviderKind.Aws && store.Length > 0 && !S3Location.TryParse(store, out _, out var error))
            problems.Add(path, $"must be empty (Kubes picks a bucket) or s3://bucket[/prefix]: {error}");
        if (spec.Provider == ProviderKind.Local)
        {
            if (store.StartsWith(S3Location.Scheme, StringComparison.OrdinalIgnoreCase))
                problems.Add(path, $"must be a folder for the local provider, like {ClusterSpecDefaults.LocalStateStore(spec.Name)}, not an S3 location (got '{store}')");
            else if (store.Length == 0 || store.IndexOfAny(['\0', '\n', '\r']) >= 0)
                problems.Add(path, $"must be a folder for the local provider, like {ClusterSpecDefaults.LocalStateStore(spec.Name)} (got '{store}')");
        }
    }

    /// <summary>
    /// On AWS an agent dials gRPC only if user-data tells it where the coordinator listens, and the spec has no field
    /// for that address: refused here, before <c>kubes up</c> creates anything.
    /// </summary>
    private static void CheckAgentChannel(ClusterSpec spec, SpecProblemList problems)
    {
        if (spec.Provider == ProviderKind.Aws && spec.AgentChannel == AgentChannel.Grpc)
            problems.Add("spec.agentChannel", "must be s3 for the aws provider: instances on AWS cannot be told where a gRPC "
                + "coordinator listens (the spec has no field for its address); use s3, the default, which 'kubes up' and "
                + "'kubes serve' both answer (got grpc)");
    }

    private static void CheckImage(ClusterSpec spec, SpecProblemList problems)
    {
        if (spec.Image.Length == 0) return;
        if (spec.Provider == ProviderKind.Local)
            problems.Add("spec.image", $"must be empty for the local provider: its instances are processes on this machine (got '{spec.Image}')");
        else if (!AmiId().IsMatch(spec.Image))
            problems.Add("spec.image", $"must be empty (the newest Ubuntu 24.04 LTS) or an AMI id like ami-0123456789abcdef0 (got '{spec.Image}')");
    }

    [System.Text.RegularExpressions.GeneratedRegex("^ami-([0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial System.Text.RegularExpressions.Regex AmiId();

    private static void CheckPki(ClusterSpec spec, SpecProblemList problems)
    {
        var pki = spec.Pki;
        if (pki.CaLifetime < SpecLimits.MinCaLifetime || pki.CaLifetime > SpecLimits.MaxCaLifetime)
            problems.Add("spec.pki.caLifetime",
                $"must be between {SpecLimits.MinCaLifetime} and {SpecLimits.MaxCaLifetime} (got {pki.CaLifetime})");
        if (pki.CertificateLifetime < SpecLimits.MinCertificateLifetime)
            problems.Add("spec.pki.certificateLifetime", $"must be at least {SpecLimits.MinCertificateLifetime}, so that agents "
                + $"have time to renew each certificate before it expires (got {pki.CertificateLifetime})");
        else if (pki.CertificateLifetime > pki.CaLifetime)
            problems.Add("spec.pki.certificateLifetime", $"must not be longer than spec.pki.caLifetime ({pki.CaLifetime}): "
                + $"a certificate cannot outlive its CA (got {pki.CertificateLifetime})");
    }

    internal static string Alternatives<T>(IReadOnlyList<T> values) =>
        values.Count == 1 ? $"{values[0]}" : $"{string.Join(", ", values.Take(values.Count - 1))} or {values[^1]}";

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\z")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-[0-9]+\z")]
    private static partial Regex AwsRegion();

    [GeneratedRegex(@"^local-[0-9]+\z")]
    private static partial Regex LocalRegion();

    [GeneratedRegex(@"^[a-z][a-z0-9-]*[.][a-z0-9]+\z")]
    private static partial Regex InstanceType();
}
