using System.Diagnostics;

namespace Kubes.Controller.Tests.Components.Addons;

/// <summary>
/// The machine's kubectl reading a manifest without a server (<c>label --local --dry-run=client</c>): client-go's decoder,
/// a second reader beside KubernetesClient's. It checks no field against the API's schema, which needs a server.
/// </summary>
internal static class KubectlLocal
{
    /// <summary>What kubectl prints for every object of <paramref name="file"/> in <paramref name="output"/> (name, json).</summary>
    public static async Task<string> ReadAsync(string file, string output)
    {
        var start = new ProcessStartInfo("kubectl", ["label", "--local", "--dry-run=client", "-f", file, "kubes.io/checked=yes", "-o", output])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, Environment = { ["KUBECONFIG"] = "/dev/null" },
        };
        using var kubectl = Process.Start(start)!;
        var stdout = kubectl.StandardOutput.ReadToEndAsync();
        var stderr = await kubectl.StandardError.ReadToEndAsync();
        await kubectl.WaitForExitAsync();
        Assert.True(kubectl.ExitCode == 0, $"kubectl could not read {Path.GetFileName(file)}: {stderr}");
        return await stdout;
    }
}
