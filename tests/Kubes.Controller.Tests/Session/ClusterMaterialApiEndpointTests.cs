using Kubes.Controller.Pki.Store;
using Kubes.Controller.Session;
using Kubes.Controller.Tests.Operations.Access;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Session;

/// <summary>The API endpoint in the coordinator's material: asked of the provider until it exists, then kept.</summary>
public sealed class ClusterMaterialApiEndpointTests : IDisposable
{
    private static readonly ApiEndpoint Endpoint = new("demo-api-0123.elb.us-east-1.amazonaws.com", 6443);

    private readonly AccessWorld _world = new();

    [Fact]
    public async Task An_endpoint_made_after_the_load_is_found_at_the_next_refresh_and_then_never_asked_for_again()
    {
        using var pki = await new ClusterPkiRepository(_world.Session.Store).LoadOrCreateAsync(_world.Session.Topology.Spec, CancellationToken.None);
        ApiEndpoint? answer = null;
        var asked = 0;
        var material = await ClusterMaterialSource.LoadAsync(_world.Session.Store, pki, CancellationToken.None,
            apiEndpoint: _ => { asked++; return Task.FromResult(answer); });
        Assert.Null(material.Current.ApiEndpoint);

        answer = Endpoint;
        await material.RefreshAsync(CancellationToken.None);
        Assert.Equal(Endpoint, material.Current.ApiEndpoint);

        answer = null;
        await material.RefreshAsync(CancellationToken.None);
        Assert.Equal(Endpoint, material.Current.ApiEndpoint);
        Assert.Equal(2, asked);
    }

    [Fact]
    public async Task A_provider_that_does_not_answer_leaves_the_endpoint_unknown_without_failing_the_load()
    {
        using var pki = await new ClusterPkiRepository(_world.Session.Store).LoadOrCreateAsync(_world.Session.Topology.Spec, CancellationToken.None);
        var material = await ClusterMaterialSource.LoadAsync(_world.Session.Store, pki, CancellationToken.None,
            apiEndpoint: _ => throw new HttpRequestException("throttled"));

        await material.RefreshAsync(CancellationToken.None);

        Assert.Null(material.Current.ApiEndpoint);
        Assert.NotEqual("", material.Current.VpnCrlPem);
    }

    public void Dispose() => _world.Dispose();
}
