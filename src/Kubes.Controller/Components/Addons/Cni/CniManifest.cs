using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Components.Addons.Cni;

/// <summary>The manifest is not the one Kubes knows how to fill in: an object or a field it edits is missing.</summary>
public sealed class CniManifestException(string message) : Exception(message);

/// <summary>
/// The pod network's add-on from the manifest its project publishes (Calico's <c>calico.yaml</c>, Flannel's
/// <c>kube-flannel.yml</c>): every object read strictly into the Kubernetes API's model types (an unknown field or kind is
/// refused, never passed through unread), then the cluster's values put in — the pod network, and the HA endpoint,
/// which the network's daemons reach the API by before any Service works — and every object labelled as the add-on's.
/// </summary>
public static class CniManifest
{
    public const string Name = "cni";

    public static Addon Render(CniKind cni, string manifest, string podCidr, string apiHost, int apiPort)
    {
        IReadOnlyList<IKubernetesObject> objects;
        try
        {
            objects = KubernetesYaml.LoadAllFromString(manifest, strict: true).OfType<IKubernetesObject>().ToList();
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidOperationException or ArgumentException)
        {
            throw new CniManifestException($"the {cni.ToSpecName()} manifest does not read as Kubernetes objects: {e.Message}");
        }
        var filled = cni switch
        {
            CniKind.Calico => FillCalico(objects, podCidr, apiHost, apiPort),
            CniKind.Flannel => FillFlannel(objects, podCidr, apiHost, apiPort),
            _ => throw new ArgumentOutOfRangeException(nameof(cni), cni, null),
        };
        foreach (var o in filled)
        {
            var metadata = ((IMetadata<V1ObjectMeta>)o).Metadata ??= new V1ObjectMeta();
            metadata.Labels ??= new Dictionary<string, string>();
            metadata.Labels[Addon.AddonLabel] = Name;
        }
        return new Addon(Name, filled);
    }

    /// <summary>
    /// Calico: its IP pool is the pod network (<c>CALICO_IPV4POOL_CIDR</c> of calico-node), and its daemons read the
    /// endpoint from the <c>kubernetes-services-endpoint</c> ConfigMap, which Kubes adds and every container of calico-node
    /// and calico-kube-controllers is given.
    /// </summary>
    private static IReadOnlyList<IKubernetesObject> FillCalico(IReadOnlyList<IKubernetesObject> objects, string podCidr, string apiHost, int apiPort)
    {
        var node = Single<V1DaemonSet>(objects, "calico-node", "calico");
        SetEnv(Container(node.Spec.Template.Spec, "calico-node", "calico"), "CALICO_IPV4POOL_CIDR", podCidr);
        var controllers = Single<V1Deployment>(objects, "calico-kube-controllers", "calico");
        var endpoint = EndpointConfigMap(Namespace(node), apiHost, apiPort);
        foreach (var container in node.Spec.Template.Spec.Containers.Concat(node.Spec.Template.Spec.InitContainers ?? [])
                     .Concat(controllers.Spec.Template.Spec.Containers))
        {
            container.EnvFrom ??= [];
            if (container.EnvFrom.All(e => e.ConfigMapRef?.Name != endpoint.Metadata.Name))
                container.EnvFrom.Add(new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = endpoint.Metadata.Name } });
        }
        return [endpoint, .. objects];
    }

    /// <summary>Flannel: its network is the pod network (<c>Network</c> of net-conf.json), its daemon reaches the endpoint directly.</summary>
    private static IReadOnlyList<IKubernetesObject> FillFlannel(IReadOnlyList<IKubernetesObject> objects, string podCidr, string apiHost, int apiPort)
    {
        var config = Single<V1ConfigMap>(objects, "kube-flannel-cfg", "flannel");
        if (config.Data is null || !config.Data.TryGetValue("net-conf.json", out var netConf))
            throw new CniManifestException("the flannel manifest's ConfigMap kube-flannel-cfg has no net-conf.json");
        var json = JsonNode.Parse(netConf) as JsonObject ?? throw new CniManifestException("flannel's net-conf.json is not a JSON object");
        json["Network"] = podCidr;
        config.Data["net-conf.json"] = json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        var daemon = Container(Single<V1DaemonSet>(objects, "kube-flannel-ds", "flannel").Spec.Template.Spec, "kube-flannel", "flannel");
        SetEnv(daemon, "KUBERNETES_SERVICE_HOST", apiHost);
        SetEnv(daemon, "KUBERNETES_SERVICE_PORT", apiPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return objects;
    }

    private static V1ConfigMap EndpointConfigMap(string ns, string apiHost, int apiPort) => Objects.Typed(new V1ConfigMap
    {
        Metadata = new V1ObjectMeta { Name = "kubernetes-services-endpoint", NamespaceProperty = ns },
        Data = new Dictionary<string, string>
        {
            ["KUBERNETES_SERVICE_HOST"] = apiHost,
            ["KUBERNETES_SERVICE_PORT"] = apiPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
    }, "v1", "ConfigMap");

    private static string Namespace(V1DaemonSet daemonSet) => daemonSet.Metadata.NamespaceProperty ?? Objects.KubeSystem;

    private static T Single<T>(IReadOnlyList<IKubernetesObject> objects, string name, string cni) where T : class, IMetadata<V1ObjectMeta>
    {
        var found = objects.OfType<T>().Where(o => o.Metadata?.Name == name).ToList();
        return found.Count == 1
            ? found[0]
            : throw new CniManifestException(
                $"the {cni} manifest has {found.Count} {typeof(T).Name[2..]} named {name}, where Kubes fills in the cluster's values in exactly one");
    }

    private static V1Container Container(V1PodSpec pod, string name, string cni) =>
        pod.Containers.SingleOrDefault(c => c.Name == name)
        ?? throw new CniManifestException($"the {cni} manifest's pods have no container {name}, where Kubes fills in the cluster's values");

    private static void SetEnv(V1Container container, string name, string value)
    {
        container.Env ??= [];
        container.Env = [.. container.Env.Where(e => e.Name != name), new V1EnvVar { Name = name, Value = value }];
    }
}
