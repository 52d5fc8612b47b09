namespace Kubes.Controller.Components.Containerd;

/// <summary>
/// The pod sandbox ("pause") image of each supported Kubernetes minor, as kubeadm pins it for that minor
/// (cmd/kubeadm/app/constants: PauseVersion, 3.10.1 from 1.34 on) and the kubelet expects it: containerd pins it so it
/// is never garbage-collected, and a pod's sandbox never waits for a pull of another one.
/// </summary>
public static class SandboxImages
{
    public const string Repository = "registry.k8s.io/pause";

    public static readonly IReadOnlyDictionary<string, string> ByKubernetesMinor = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["1.35"] = "3.10.1",
        ["1.36"] = "3.10.1",
    };

    /// <summary>The image for a cluster of <paramref name="minor"/>, or null for a minor Kubes does not support.</summary>
    public static string? For(string minor) =>
        ByKubernetesMinor.TryGetValue(minor, out var version) ? $"{Repository}:{version}" : null;
}
