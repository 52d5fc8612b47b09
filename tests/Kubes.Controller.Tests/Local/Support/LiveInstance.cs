using System.Diagnostics;
using System.Net;
using System.Runtime.Versioning;
using Kubes.Controller.Local.Namespaces;

namespace Kubes.Controller.Tests.Local.Support;

/// <summary>What makes a local cluster's network live: a long-running process in an instance's namespace, as its agent is.</summary>
[SupportedOSPlatform("linux")]
internal static class LiveInstance
{
    /// <summary>Adds the instance's namespace and starts a sleep in it; deleting the network kills it.</summary>
    public static async Task<Process> StartAsync(NamespaceNetwork network, string instanceId, IPAddress address)
    {
        var name = await network.AddAsync(instanceId, address, CancellationToken.None);
        return Process.Start("ip", ["netns", "exec", name, "sleep", "600"]);
    }
}
