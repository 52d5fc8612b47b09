namespace Kubes.Controller.Components.KubeScheduler;

/// <summary>The kube-scheduler flags an override may not name, and why: Kubes sets them, or they would undo what it sets.</summary>
public static class KubeSchedulerLockedFlags
{
    private const string ConfigFile = "Kubes renders the scheduler's KubeSchedulerConfiguration, and the scheduler ignores these beside it";
    private const string Identity = "Kubes reaches its controller's apiserver with the scheduler's own client certificate";
    private const string Serving = "Kubes serves its port on loopback only, with strong TLS";

    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["config"] = ConfigFile,
        ["kubeconfig"] = ConfigFile,
        ["leader-elect"] = ConfigFile,
        ["profiling"] = ConfigFile,
        ["contention-profiling"] = ConfigFile,
        ["master"] = Identity,
        ["authentication-kubeconfig"] = Identity,
        ["authorization-kubeconfig"] = Identity,
        ["bind-address"] = Serving,
        ["secure-port"] = Serving,
        ["tls-min-version"] = Serving,
        ["tls-cipher-suites"] = Serving,
    };
}
