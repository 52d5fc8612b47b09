using System.Diagnostics;
using System.Text.RegularExpressions;
using Kubes.Controller.Components;
using Kubes.Controller.Components.Etcd;
using Kubes.Controller.Components.Flags;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Tests.Components.Flags;

/// <summary>The flag lists kubes embeds: each one well formed and sourced, and etcd's own checked against the real etcd here.</summary>
public sealed partial class FlagCatalogueTests
{
    private static string Text(string component, string version)
    {
        using var stream = typeof(FlagCatalogue).Assembly.GetManifestResourceStream($"flags/{component}-{version}.flags.tsv")!;
        return new StreamReader(stream).ReadToEnd();
    }

    [Fact]
    public void Etcd_has_the_3_4_list_of_the_local_provider_and_the_3_6_list_kubeadm_pairs_with_the_supported_minors()
    {
        Assert.Contains(("etcd", "3.4"), FlagCatalogue.Available);
        Assert.Contains(("etcd", "3.6"), FlagCatalogue.Available);
        foreach (var minor in KubernetesVersions.SupportedMinors)
            Assert.NotNull(FlagCatalogue.Find("etcd", EtcdReleases.ByKubernetesMinor[minor]));
    }

    [Fact]
    public void Every_list_names_its_source_and_holds_as_many_flags_as_its_header_counts()
    {
        Assert.NotEmpty(FlagCatalogue.Available);
        foreach (var (component, version) in FlagCatalogue.Available)
        {
            var text = Text(component, version);
            Assert.Contains("# source: ", text);
            var count = int.Parse(CountLine().Match(text).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(count, FlagCatalogue.For(component, version).Names.Count);
        }
    }

    [Fact]
    public void A_list_with_a_flag_twice_or_a_dashed_name_is_a_defect_found_when_it_is_read()
    {
        Assert.Throws<InvalidDataException>(() => FlagCatalogue.Parse("# source: test\nname\nname\n", "test"));
        Assert.Throws<InvalidDataException>(() => FlagCatalogue.Parse("--name\tstring\tno\n", "test"));
        Assert.Equal(["a", "b"], FlagCatalogue.Parse("# c\n\na\tstring\tno\r\nb\n", "test").Order());
    }

    [Fact]
    public void A_version_kubes_has_no_list_for_is_named_with_the_file_to_add()
    {
        Assert.Null(FlagCatalogue.Find("etcd", "2.3"));
        var error = Assert.Throws<InvalidOperationException>(() => FlagCatalogue.For("etcd", "2.3"));
        Assert.Contains("etcd-2.3.flags.tsv", error.Message);
    }

    [Fact]
    public void Every_locked_etcd_flag_is_a_flag_of_some_etcd_kubes_runs()
    {
        var known = FlagCatalogue.Available.Where(a => a.Component == "etcd")
            .SelectMany(a => FlagCatalogue.For(a.Component, a.Version).Names).ToHashSet();
        Assert.All(EtcdLockedFlags.All.Keys, flag => Assert.Contains(flag, known));
    }

    [Fact]
    public void Every_component_has_a_list_for_every_version_a_valid_spec_can_name()
    {
        foreach (var component in ClusterComponents.All.Where(c => c.TakesExtraArgs))
        foreach (var spec in new[] { ClusterSpecDefaults.Local("demo"), ClusterSpecDefaults.Aws("demo") })
        foreach (var minor in KubernetesVersions.SupportedMinors)
        {
            var version = component.FlagVersion(spec with { KubernetesVersion = $"{minor}.0" });
            Assert.NotNull(version);
            Assert.NotNull(FlagCatalogue.Find(component.Name, version));
        }
    }

    /// <summary>The local provider runs this machine's etcd: its list is exactly what that etcd's --help prints.</summary>
    [Fact]
    public async Task The_etcd_3_4_list_is_the_flags_this_machines_etcd_prints()
    {
        using var process = Process.Start(new ProcessStartInfo("etcd", "--help") { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var help = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var version = await VersionAsync();
        Assert.StartsWith("3.4.", version);

        var printed = HelpFlag().Matches(help).Select(m => m.Groups[1].Value).Append("config-file").ToHashSet();

        Assert.Equal(printed.Order(StringComparer.Ordinal), FlagCatalogue.For("etcd", "3.4").Names.Order(StringComparer.Ordinal));
    }

    private static async Task<string> VersionAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("etcd", "--version") { RedirectStandardOutput = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return Regex.Match(output, @"etcd Version: (\S+)").Groups[1].Value;
    }

    [GeneratedRegex(@"^# count: (\d+) flags$", RegexOptions.Multiline)]
    private static partial Regex CountLine();

    [GeneratedRegex(@"^\s+--([a-z0-9-]+)", RegexOptions.Multiline)]
    private static partial Regex HelpFlag();
}
