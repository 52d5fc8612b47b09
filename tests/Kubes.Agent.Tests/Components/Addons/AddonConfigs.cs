using System.Text.Json.Nodes;
using Kubes.Agent.Components.Addons;
using Kubes.Agent.Configuration;
using Kubes.Agent.Pki;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Components.Addons;

/// <summary>A controller's role configuration with add-ons, and add-on objects to put in it.</summary>
public static class AddonConfigs
{
    /// <summary>Three objects of a set, in apply order.</summary>
    public static readonly AddonObject A = ConfigMap("a");
    public static readonly AddonObject B = ConfigMap("b");
    public static readonly AddonObject C = ConfigMap("c");

    public static RoleConfig Controller(string name, params AddonObject[] objects)
    {
        var config = ControllerConfigs.Controller(name);
        config.Addons = new AddonsConfig { Objects = { objects } };
        config.Certificates.Add(new CertificateRequestSpec { Identity = $"addon-manager/{name}", KeyAlgorithm = "ecdsa-p256", FileStem = CertificateFiles.AddonManager });
        return config;
    }

    public static AddonsLayout Layout(RoleConfig config) => new(config, new PkiFiles(new AgentPaths("/")));

    public static AddonsLayout Layout(string name, params AddonObject[] objects) => Layout(Controller(name, objects));

    /// <summary>A ConfigMap in kube-system, its data one key.</summary>
    public static AddonObject ConfigMap(string name, string value = "1", string addon = "demo") => new()
    {
        Addon = addon,
        Path = $"/api/v1/namespaces/kube-system/configmaps/{name}",
        Json = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "kube-system", ["labels"] = new JsonObject { ["kubes.io/addon"] = addon } },
            ["data"] = new JsonObject { ["value"] = value },
        }.ToJsonString(),
    };
}
