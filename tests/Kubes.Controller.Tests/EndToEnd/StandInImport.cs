using System.Security.Cryptography;
using System.Text;
using Kubes.Protos.Contract;

namespace Kubes.Controller.Tests.EndToEnd;

/// <summary>
/// The test stand-ins for Kubernetes' server binaries (tests/Kubes.StandIns, published beside these tests by the project
/// file), imported into a cluster the one way real ones reach an air-gapped cluster: <c>kubes artifacts import DIR</c>,
/// a folder holding each program under its name and a SHA256SUMS. Nothing under src/ knows them.
/// </summary>
public static class StandInImport
{
    private static readonly string[] Programs =
        [ArtifactNames.KubeApiServer, ArtifactNames.KubeControllerManager, ArtifactNames.KubeScheduler, ArtifactNames.Kubelet, ArtifactNames.KubeProxy];

    private static readonly Lazy<string> Folder = new(Lay);

    /// <summary>The folder as scripts/build-standins.sh lays it out, made once per test run.</summary>
    private static string Lay()
    {
        var published = Path.Join(AppContext.BaseDirectory, "standins", "Kubes.StandIns");
        var folder = Path.Join(AppContext.BaseDirectory, "standins-import");
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(published)));
        var sums = new StringBuilder();
        foreach (var program in Programs)
        {
            File.Copy(published, Path.Join(folder, program));
            File.SetUnixFileMode(Path.Join(folder, program), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            sums.Append($"{sha256}  {program}\n");
        }
        File.WriteAllText(Path.Join(folder, "SHA256SUMS"), sums.ToString());
        return folder;
    }

    /// <summary>Imports them into the cluster that <paramref name="clusterArguments"/> name (<c>-f SPEC</c> or <c>--local</c>).</summary>
    public static async Task IntoAsync(string workingFolder, params string[] clusterArguments)
    {
        var import = await KubesProcess.RunAsync(workingFolder, TimeSpan.FromMinutes(2), ["artifacts", "import", Folder.Value, .. clusterArguments]);
        Assert.True(import.ExitCode == 0, import.ToString());
    }
}
