using System.Reflection;

namespace Kubes.StandIns;

/// <summary>The Kubernetes release a stand-in claims to be (set when it is built: StandInKubernetesVersion).</summary>
public sealed record KubernetesRelease(int Major, int Minor, int Patch)
{
    public string GitVersion => $"v{Major}.{Minor}.{Patch}";

    public string MinorVersion => $"{Major}.{Minor}";

    public static KubernetesRelease Parse(string version)
    {
        var parts = version.TrimStart('v').Split('.');
        if (parts.Length != 3 || !parts.All(p => int.TryParse(p, out _)))
            throw new StandInException($"'{version}' is not a Kubernetes release (major.minor.patch); build the stand-ins with -p:StandInKubernetesVersion=1.35.7");
        return new(int.Parse(parts[0]), int.Parse(parts[1]), int.Parse(parts[2]));
    }

    /// <summary>The release this build of the stand-ins was made for.</summary>
    public static KubernetesRelease Built { get; } = Parse(
        typeof(KubernetesRelease).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "KubernetesVersion").Value!);
}
