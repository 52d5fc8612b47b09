using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using k8s;
using k8s.Models;
using Kubes.Controller.Components.Addons.Cni;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Pki.Support;

namespace Kubes.Controller.Tests.Components.Addons.Cni;

/// <summary>
/// Whatever pod network and endpoint a cluster has, the CNI's manifest as Kubes writes it reads back strictly with exactly
/// those values: a host that YAML would take for a number, a boolean or null stays a string.
/// </summary>
public sealed class CniManifestPropertyTests
{
    private static string Manifest(CniKind cni, [System.Runtime.CompilerServices.CallerFilePath] string test = "") =>
        File.ReadAllText(Path.Join(Path.GetDirectoryName(test)!, "..", "Manifests", cni == CniKind.Calico ? "calico.yaml" : "kube-flannel.yml"));

    private static readonly Gen<string> PodCidr =
        Gen.Select(Gen.Int[1, 223], Gen.Int[0, 255], Gen.Int[8, 24]).Select((a, b, prefix) => $"{a}.{b}.0.0/{prefix}");

    /// <summary>Addresses, DNS names, and names YAML 1.1 or 1.2 would read as another type when left unquoted.</summary>
    private static readonly Gen<string> ApiHost = Gen.OneOf(
        Gen.Select(Gen.Int[1, 254], Gen.Int[0, 255], Gen.Int[0, 255], Gen.Int[1, 254]).Select((a, b, c, d) => $"{a}.{b}.{c}.{d}"),
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-."], 1, 60].Where(h => char.IsLetterOrDigit(h[0]) && char.IsLetterOrDigit(h[^1])),
        Gen.OneOf(new[] { "true", "no", "null", "off", "1e3", "0x1F", "6443", "~", "y" }.Select(Gen.Const).ToArray()));

    [Fact]
    public void Any_pod_network_and_endpoint_read_back_strictly_as_given()
    {
        Gen.Select(Gen.OneOf(Gen.Const(CniKind.Calico), Gen.Const(CniKind.Flannel)), PodCidr, ApiHost, Gen.Int[1, 65535]).Sample((cni, podCidr, host, port) =>
        {
            var yaml = CniManifest.Render(cni, Manifest(cni), podCidr, host, port).ToYaml();

            var objects = KubernetesYaml.LoadAllFromString(yaml, strict: true).Cast<IKubernetesObject>().ToList();
            var (readCidr, readHost, readPort) = cni == CniKind.Calico ? Calico(objects) : Flannel(objects);
            Assert.Equal((podCidr, host, port.ToString(System.Globalization.CultureInfo.InvariantCulture)), (readCidr, readHost, readPort));
        });
    }

    private static (string, string, string) Calico(IReadOnlyList<IKubernetesObject> objects)
    {
        var endpoint = objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == "kubernetes-services-endpoint").Data;
        var pool = objects.OfType<V1DaemonSet>().Single().Spec.Template.Spec.Containers.Single(c => c.Name == "calico-node")
            .Env.Single(e => e.Name == "CALICO_IPV4POOL_CIDR").Value;
        return (pool, endpoint["KUBERNETES_SERVICE_HOST"], endpoint["KUBERNETES_SERVICE_PORT"]);
    }

    private static (string, string, string) Flannel(IReadOnlyList<IKubernetesObject> objects)
    {
        var network = (string)JsonNode.Parse(objects.OfType<V1ConfigMap>().Single().Data["net-conf.json"])!["Network"]!;
        var env = objects.OfType<V1DaemonSet>().Single().Spec.Template.Spec.Containers.Single(c => c.Name == "kube-flannel").Env;
        return (network, env.Single(e => e.Name == "KUBERNETES_SERVICE_HOST").Value, env.Single(e => e.Name == "KUBERNETES_SERVICE_PORT").Value);
    }

    /// <summary>
    /// The Go side (kubectl, as the apiserver would) reads YAML 1.1's plain scalars as booleans, numbers and null: the
    /// endpoint must reach it as the string it is, where a plain <c>true</c> would make a ConfigMap or an env var invalid.
    /// Known gap: KubernetesClient's serializer leaves a hexadecimal-looking <c>0x1F</c> plain, which Go reads as a number;
    /// an endpoint host is always an address or the load balancer's dotted DNS name, never such a name.
    /// </summary>
    [Theory]
    [InlineData("true")]
    [InlineData("no")]
    [InlineData("null")]
    [InlineData("1e3")]
    [InlineData("6443")]
    [InlineData("~")]
    public async Task A_host_yaml_would_take_for_another_type_reaches_kubectl_as_a_string(string host)
    {
        using var folder = new TempFolder();
        foreach (var cni in new[] { CniKind.Calico, CniKind.Flannel })
        {
            var file = folder.Write($"{cni}.yaml", CniManifest.Render(cni, Manifest(cni), "10.200.0.0/16", host, 6443).ToYaml());
            var items = Documents(await KubectlLocal.ReadAsync(file, "json"));
            var values = cni == CniKind.Calico
                ? items.Where(i => (string?)i!["metadata"]!["name"] == "kubernetes-services-endpoint")
                    .Select(i => i!["data"]!["KUBERNETES_SERVICE_HOST"]!)
                : items.Where(i => (string?)i!["kind"] == "DaemonSet")
                    .SelectMany(i => i!["spec"]!["template"]!["spec"]!["containers"]!.AsArray())
                    .SelectMany(c => c!["env"]!.AsArray()).Where(e => (string?)e!["name"] == "KUBERNETES_SERVICE_HOST").Select(e => e!["value"]!);
            var value = Assert.Single(values);
            Assert.Equal((JsonValueKind.String, host), (value.GetValueKind(), value.GetValue<string>()));
        }
    }

    /// <summary>kubectl prints one JSON document per object, one after another.</summary>
    private static List<JsonNode?> Documents(string json)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json), new JsonReaderOptions { AllowMultipleValues = true });
        var documents = new List<JsonNode?>();
        while (reader.Read()) documents.Add(JsonNode.Parse(ref reader));
        return documents;
    }
}
