using System.Globalization;
using System.Text.Json.Nodes;

namespace Kubes.StandIns.Nodes;

/// <summary>
/// The status a kubelet posts for its Node: its addresses, its port (daemonEndpoints), nodeInfo, and the Ready
/// condition (True, KubeletReady, when the runtime and its network are ready; else False, KubeletNotReady, with the
/// runtime's errors), its lastHeartbeatTime now and its lastTransitionTime kept while its status stays the same. The
/// stand-in measures neither capacity nor pressure, so it posts no capacity and no pressure conditions.
/// </summary>
public static class NodeStatusReport
{
    public const string Ready = "Ready";

    /// <summary>Sets the status on <paramref name="node"/>: its Ready condition before (null when it had none) and now.</summary>
    public static (JsonObject? Was, JsonObject Is) Apply(JsonObject node, NodeRegistration registration, int kubeletPort, RuntimeReadiness runtime, DateTimeOffset now)
    {
        var status = node["status"] as JsonObject ?? (JsonObject)(node["status"] = new JsonObject());
        var conditions = (status["conditions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var previous = conditions.FirstOrDefault(c => c["type"]?.ToString() == Ready);
        var was = previous?["status"]?.ToString();
        var isReady = runtime.Ready ? "True" : "False";
        var stamp = Timestamp(now);
        var ready = new JsonObject
        {
            ["type"] = Ready,
            ["status"] = isReady,
            ["lastHeartbeatTime"] = stamp,
            ["lastTransitionTime"] = was == isReady ? previous!["lastTransitionTime"]?.DeepClone() ?? stamp : stamp,
            ["reason"] = runtime.Ready ? "KubeletReady" : "KubeletNotReady",
            ["message"] = runtime.Ready ? "kubelet is posting ready status" : runtime.Message,
        };
        status["conditions"] = new JsonArray([.. conditions.Where(c => c != previous).Select(c => c.DeepClone()), ready]);
        status["addresses"] = new JsonArray([.. registration.Addresses.Select(a => new JsonObject { ["type"] = a.Type, ["address"] = a.Address })]);
        status["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = kubeletPort } };
        status["nodeInfo"] = NodeSystemInfo.Read(runtime.RuntimeVersion);
        return (previous, ready);
    }

    /// <summary>Kubernetes' time format (RFC 3339, whole seconds, UTC).</summary>
    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
