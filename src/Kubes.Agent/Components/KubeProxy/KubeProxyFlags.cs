using Kubes.Agent.Flags;

namespace Kubes.Agent.Components.KubeProxy;

/// <summary>kube-proxy's command line: its configuration file says everything else.</summary>
public sealed record KubeProxyFlags(string Config)
{
    public static KubeProxyFlags For(KubeProxyLayout layout) => new(layout.ConfigFile);

    public FlagSet ToFlagSet() => new FlagSet().Add("config", Config);
}
