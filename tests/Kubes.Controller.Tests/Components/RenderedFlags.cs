using Kubes.Agent.Configuration;
using Kubes.Agent.Pki;
using Kubes.Controller.Components;
using Kubes.Controller.Components.Flags;
using Kubes.Controller.Spec;
using Kubes.Protos.V1;

namespace Kubes.Controller.Tests.Components;

/// <summary>
/// The check every versioned component's flags pass: for each supported minor, what the agent renders from the
/// coordinator's sections is a flag the program of that minor has (its embedded list) and one the operator cannot
/// override; and every locked flag is one the program has.
/// </summary>
internal static class RenderedFlags
{
    /// <param name="configFor">The role configuration the coordinator makes for <c>spec</c>.</param>
    /// <param name="rendered">Per component, the flag names the agent renders from a configuration.</param>
    public static void AreKnownAndLocked(Func<ClusterSpec, RoleConfig> configFor,
        IReadOnlyDictionary<string, Func<RoleConfig, AgentPaths, PkiFiles, IEnumerable<string>>> rendered)
    {
        foreach (var minor in KubernetesVersions.SupportedMinors)
        {
            var spec = ClusterSpecDefaults.Aws("prod") with { KubernetesVersion = $"{minor}.0" };
            var config = configFor(spec);
            var paths = new AgentPaths("/");
            var pki = new PkiFiles(paths);
            foreach (var (name, render) in rendered)
            {
                var component = ClusterComponents.Find(name)!;
                var list = FlagCatalogue.For(name, component.FlagVersion(spec)!);
                Assert.All(render(config, paths, pki), flag =>
                {
                    Assert.True(list.Contains(flag), $"{name} {minor} has no --{flag}");
                    Assert.True(component.LockedFlags.ContainsKey(flag), $"--{flag} of {name} is set by Kubes but not locked");
                });
            }
        }
    }

    public static void LockedAreKnown(params string[] components)
    {
        foreach (var name in components)
        foreach (var minor in KubernetesVersions.SupportedMinors)
        {
            var component = ClusterComponents.Find(name)!;
            var list = FlagCatalogue.For(name, minor);
            Assert.All(component.LockedFlags.Keys, flag => Assert.True(list.Contains(flag), $"{name} {minor} has no --{flag}"));
        }
    }
}
