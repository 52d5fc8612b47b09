using Kubes.Controller.Providers;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Providers;

public sealed class ClusterProvidersTests
{
    [Fact]
    public void Every_provider_kind_of_the_spec_has_its_provider()
    {
        foreach (var kind in Enum.GetValues<ProviderKind>())
            Assert.Equal(kind, ClusterProviders.For(kind).Kind);
    }

    [Fact]
    public void The_default_listen_address_is_the_providers()
    {
        foreach (var kind in Enum.GetValues<ProviderKind>())
        {
            var topology = ClusterTopology.From(ClusterSpecDefaults.For(kind, "demo"));
            Assert.Equal(ClusterProviders.For(kind).DefaultCoordinatorListen(topology), CoordinatorListen.Default(topology));
        }
    }
}
