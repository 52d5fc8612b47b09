using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Kubes.Agent.Tests.Support;
using Kubes.Controller.Artifacts;
using Kubes.Controller.State;
using Kubes.StandIns.ApiServer;
using Kubes.StandIns.Clients;
using Kubes.StandIns.Nodes;

namespace Kubes.StandIns.Tests.Delivery;

/// <summary>
/// The stand-ins reach instances only as an operator's files do: a folder of programs named like Kubernetes' own, with a
/// SHA256SUMS, given to 'kubes artifacts import'. Nothing the product builds names them.
/// </summary>
public sealed class StandInDeliveryTests : IDisposable
{
    private readonly TempRoot _root = new("kubes-standins-import-");

    [Fact]
    public async Task The_folder_scripts_build_standins_makes_imports_as_the_clusters_kubernetes_binaries()
    {
        // The layout scripts/build-standins.sh writes: the published program under each component's name, and its sums.
        var bundle = _root.Join("bundle");
        Directory.CreateDirectory(bundle);
        var published = Path.Join(AppContext.BaseDirectory, "standins", "Kubes.StandIns");
        var names = new[] { ApiServerStandIn.Name, ControllerManagerStandIn.Name, SchedulerStandIn.Name, KubeletStandIn.Name, KubeProxyStandIn.Name };
        foreach (var name in names) File.Copy(published, Path.Join(bundle, name));
        var sum = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(published)));
        await File.WriteAllLinesAsync(Path.Join(bundle, ArtifactImport.SumsFile), names.Select(name => $"{sum}  {name}"));

        var version = KubernetesRelease.Built.GitVersion;
        var report = await new ArtifactImport(new FolderStateStore(_root.Join("state")), localProvider: true)
            .ImportAsync(bundle, version, CpuArchitecture.Amd64, replace: false, CancellationToken.None);

        Assert.True(report.Succeeded, string.Join("\n", report.Rows));
        Assert.Equal(names.Select(n => (n, ArtifactOutcome.Imported, version.TrimStart('v'))),
            report.Rows.Select(r => (r.Name, r.Outcome, r.Version)));
    }

    [Fact]
    public void Nothing_under_src_or_build_names_the_stand_ins()
    {
        var offenders = new[] { "src", "build" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Join(Repository(), folder), "*", SearchOption.AllDirectories))
            .Where(file => !file.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Where(file => File.ReadAllText(file).Contains("Kubes.StandIns", StringComparison.Ordinal))
            .ToList();
        Assert.True(offenders.Count == 0, $"these name the stand-ins: {string.Join(", ", offenders)}");
    }

    private static string Repository([CallerFilePath] string self = "") =>
        Path.GetFullPath(Path.Join(Path.GetDirectoryName(self), "..", "..", ".."));

    public void Dispose() => _root.Dispose();
}
