using System.Runtime.InteropServices;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Artifacts;

/// <summary>The Linux architectures the catalogue covers, by the names release files use (Go's GOARCH).</summary>
public static class CpuArchitecture
{
    public const string Amd64 = "amd64";
    public const string Arm64 = "arm64";

    public static readonly IReadOnlyList<string> All = [Amd64, Arm64];

    public static bool IsKnown(string arch) => All.Contains(arch);

    /// <summary>This machine's, which the local provider's instances share.</summary>
    public static string OfThisMachine() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => Amd64,
        Architecture.Arm64 => Arm64,
        var other => throw new PlatformNotSupportedException(
            $"this machine is {other}; the artifact catalogue covers linux {string.Join(" and ", All)}"),
    };

    /// <summary>
    /// What the cluster's instances run: this machine's for the local provider; amd64 on AWS, whose instances boot the
    /// x86_64 Ubuntu image <see cref="Aws.AwsImageResolver"/> picks.
    /// </summary>
    public static string OfCluster(ClusterSpec spec) => spec.Provider == ProviderKind.Local ? OfThisMachine() : Amd64;
}
