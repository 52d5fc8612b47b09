using Kubes.Agent.Components.Addons;
using Kubes.Agent.Conversation;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Components.Addons;

public sealed class AddonsLayoutTests
{
    private static readonly AddonObject CoreDns = AddonConfigs.ConfigMap("coredns");
    private static readonly AddonObject Cni = AddonConfigs.ConfigMap("cni");

    [Fact]
    public void It_talks_to_its_own_controllers_apiserver_as_the_addon_manager()
    {
        var layout = AddonConfigs.Layout("controller-0", CoreDns, Cni);

        Assert.Equal(new Uri("https://10.0.0.20:6443"), layout.ApiServer);
        Assert.Equal("/etc/kubes/pki/addon-manager.crt", layout.CertificateFile);
        Assert.Equal("/etc/kubes/pki/addon-manager.key", layout.KeyFile);
        Assert.Equal("/etc/kubes/pki/addon-manager-ca.crt", layout.CaFile);
        Assert.Equal("controller-0", layout.InstanceName);
        Assert.Equal([CoreDns.Path, Cni.Path], layout.Objects.Select(o => o.Path));
        Assert.Equal(AddonHashes.OfSet([CoreDns, Cni]), layout.SetHash);
    }

    [Theory]
    [InlineData("section", "has no addons section")]
    [InlineData("certificate", "asks for no 'addon-manager' certificate")]
    [InlineData("path", "which is not an API path")]
    [InlineData("twice", "lists the object /api/v1/namespaces/kube-system/configmaps/coredns twice")]
    public void A_configuration_lacking_what_it_needs_is_refused(string lacking, string problem)
    {
        var config = AddonConfigs.Controller("controller-0", CoreDns);
        switch (lacking)
        {
            case "section": config.Addons = null; break;
            case "certificate": config.Certificates.Remove(config.Certificates.Single(c => c.FileStem == CertificateFiles.AddonManager)); break;
            case "path": config.Addons.Objects.Add(new AddonObject { Addon = "x", Path = "apis/apps/v1/x", Json = "{}" }); break;
            case "twice": config.Addons.Objects.Add(CoreDns.Clone()); break;
        }

        var error = Assert.Throws<InvalidRoleConfigException>(() => AddonConfigs.Layout(config));

        Assert.Contains(problem, error.Message);
        Assert.Contains("the coordinator's RoleConfig must be fixed", error.Message);
    }

    [Fact]
    public void The_set_hash_is_stable_and_depends_on_order_paths_and_bodies()
    {
        var hash = AddonHashes.OfSet([CoreDns, Cni]);

        Assert.Equal(hash, AddonHashes.OfSet([CoreDns.Clone(), Cni.Clone()]));
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.NotEqual(hash, AddonHashes.OfSet([Cni, CoreDns]));
        Assert.NotEqual(hash, AddonHashes.OfSet([CoreDns, AddonConfigs.ConfigMap("cni", "2")]));
        Assert.NotEqual(hash, AddonHashes.OfSet([CoreDns]));
        Assert.Equal(AddonHashes.OfSet([]), AddonHashes.OfSet([]));
    }

    [Fact]
    public void Moving_text_between_path_and_body_changes_the_set_hash() =>
        Assert.NotEqual(
            AddonHashes.OfSet([new AddonObject { Path = "/api/a", Json = "b" }]),
            AddonHashes.OfSet([new AddonObject { Path = "/api/ab", Json = "" }]));

    [Fact]
    public void An_objects_hash_is_the_sha256_of_its_body() =>
        Assert.Equal("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a", AddonHashes.OfObject("{}"));
}
