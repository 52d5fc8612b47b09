using Kubes.Agent.Flags;

namespace Kubes.Agent.Components.KubeScheduler;

/// <summary>
/// kube-scheduler's command line: only what its configuration file cannot hold — the file itself, its secure port on
/// loopback with strong TLS, and the kubeconfig its port delegates authentication and authorization to.
/// </summary>
public sealed record KubeSchedulerFlags
{
    public required string Config { get; init; }
    public required string Kubeconfig { get; init; }
    public required int SecurePort { get; init; }

    public static KubeSchedulerFlags For(KubeSchedulerLayout layout) => new()
    {
        Config = layout.ConfigFile,
        Kubeconfig = layout.KubeconfigFile,
        SecurePort = layout.Port,
    };

    public FlagSet ToFlagSet() => new FlagSet()
        .Add("config", Config)
        .Add("authentication-kubeconfig", Kubeconfig)
        .Add("authorization-kubeconfig", Kubeconfig)
        .Add("bind-address", "127.0.0.1")
        .Add("secure-port", SecurePort)
        .Add("tls-min-version", StrongTls.MinVersion)
        .Add("tls-cipher-suites", StrongTls.CipherSuites);
}
