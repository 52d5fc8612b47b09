using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Kubes.StandIns.Configs;
using Kubes.StandIns.Flags;
using YamlDotNet.RepresentationModel;

namespace Kubes.StandIns.Nodes;

/// <summary>
/// The Node a kubelet registers, read from where Kubes' agent puts it (KubeletFlags, KubeletConfigFile): its name
/// (--hostname-override, else the host name, lowercased), its <see cref="NodeLabels"/>, spec.providerID (--provider-id,
/// else the configuration's providerID) and its addresses (InternalIP from each --node-ip, else the host name's address;
/// then Hostname).
/// </summary>
public sealed record NodeRegistration(string Name, IReadOnlyDictionary<string, string> Labels, string? ProviderId, IReadOnlyList<(string Type, string Address)> Addresses)
{
    public const string Collection = "/api/v1/nodes";

    public string Path => $"{Collection}/{Name}";

    public static NodeRegistration From(CommandLine line, YamlMappingNode? config)
    {
        var hostname = (line.Value("hostname-override") is { Length: > 0 } given ? given : Dns.GetHostName()).Trim().ToLowerInvariant();
        if (hostname.Length == 0) throw new StandInException("--hostname-override is empty: the kubelet would have no node name");
        // A flag given on the command line overrides the configuration file, as the kubelet merges them.
        var providerId = line.Value("provider-id") ?? StrictConfig.At(config, "providerID");
        return new(hostname, NodeLabels.For(hostname, line), providerId is { Length: > 0 } ? providerId : null,
            [.. InternalIps(line, hostname).Select(ip => ("InternalIP", ip.ToString())), ("Hostname", hostname)]);
    }

    /// <summary>The Node the kubelet creates: its name, labels and providerID; its status is <see cref="NodeStatusReport"/>'s.</summary>
    public JsonObject NewNode() => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Node",
        ["metadata"] = new JsonObject { ["name"] = Name, ["labels"] = LabelsObject(Labels) },
        ["spec"] = ProviderId is null ? new JsonObject() : new JsonObject { ["providerID"] = ProviderId },
    };

    /// <summary>
    /// A Node already registered under this name, taken over as a restarted kubelet takes it: the labels it sets itself
    /// (<see cref="NodeLabels.Reconciled"/>) made its own again, an empty providerID filled in, everything else kept.
    /// </summary>
    public void TakeOver(JsonObject node)
    {
        var metadata = node["metadata"] as JsonObject ?? (JsonObject)(node["metadata"] = new JsonObject());
        var labels = metadata["labels"] as JsonObject ?? (JsonObject)(metadata["labels"] = new JsonObject());
        foreach (var key in NodeLabels.Reconciled)
        {
            if (Labels.TryGetValue(key, out var value)) labels[key] = value;
            else labels.Remove(key);
        }

        var spec = node["spec"] as JsonObject ?? (JsonObject)(node["spec"] = new JsonObject());
        if (ProviderId is not null && string.IsNullOrEmpty(spec["providerID"]?.ToString())) spec["providerID"] = ProviderId;
    }

    private static JsonObject LabelsObject(IReadOnlyDictionary<string, string> labels) => new(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value)));

    private static IReadOnlyList<IPAddress> InternalIps(CommandLine line, string hostname)
    {
        var given = line.Items("node-ip");
        if (given.Count > 0)
            return [.. given.Select(ip => IPAddress.TryParse(ip, out var address) ? address : throw new StandInException($"--node-ip {ip}: not an IP address"))];
        try
        {
            // As the kubelet without --node-ip: the first address of its host name that is not a loopback one.
            return [.. Dns.GetHostAddresses(hostname).Where(a => !IPAddress.IsLoopback(a)).Take(1)];
        }
        catch (SocketException)
        {
            return [];
        }
    }
}
