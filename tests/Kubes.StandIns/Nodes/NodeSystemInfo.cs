using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Kubes.StandIns.Nodes;

/// <summary>
/// A Node's status.nodeInfo as the kubelet reports it: this host's machine and boot ids, kernel and OS image (read
/// where the kubelet reads them), the runtime's version from CRI, the release the stand-in was built for, linux and the
/// architecture. A file the host does not have (no DMI product_uuid in a VM without it) leaves its field empty.
/// </summary>
public static class NodeSystemInfo
{
    /// <summary>Go's name for this machine's architecture (GOARCH).</summary>
    public static string Architecture => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };

    public static JsonObject Read(string? runtimeVersion) => new()
    {
        ["machineID"] = FirstLine("/etc/machine-id"),
        ["systemUUID"] = FirstLine("/sys/class/dmi/id/product_uuid"),
        ["bootID"] = FirstLine("/proc/sys/kernel/random/boot_id"),
        ["kernelVersion"] = FirstLine("/proc/sys/kernel/osrelease"),
        ["osImage"] = OsImage(),
        ["containerRuntimeVersion"] = runtimeVersion ?? "",
        ["kubeletVersion"] = KubernetesRelease.Built.GitVersion,
        ["operatingSystem"] = "linux",
        ["architecture"] = Architecture,
    };

    private static string FirstLine(string file)
    {
        try
        {
            return File.ReadLines(file).FirstOrDefault()?.Trim() ?? "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static string OsImage()
    {
        const string prettyName = "PRETTY_NAME=";
        var line = File.Exists("/etc/os-release") ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith(prettyName, StringComparison.Ordinal)) : null;
        return line?[prettyName.Length..].Trim('"') ?? "Linux";
    }
}
