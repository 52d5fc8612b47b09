using Kubes.Agent.Configuration;

namespace Kubes.Agent.Services;

/// <summary>Which service manager this host has: decided by looking at the host, the same test user-data makes.</summary>
public static class ServiceHost
{
    /// <summary>systemd runs the host (<c>/run/systemd/system</c> exists) and the agent owns the host's root.</summary>
    public static bool UsesSystemd(AgentPaths paths, string systemdRuntimeDir = "/run/systemd/system") =>
        paths.IsHostRoot && Directory.Exists(systemdRuntimeDir);
}
