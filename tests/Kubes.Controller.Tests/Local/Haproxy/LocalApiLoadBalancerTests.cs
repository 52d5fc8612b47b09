using System.Net;
using Kubes.Controller.Local;
using Kubes.Controller.Local.Haproxy;
using Kubes.Controller.Tests.Channels.Grpc;
using Kubes.Controller.Tests.Local.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kubes.Controller.Tests.Local.Haproxy;

/// <summary>
/// The real HAProxy of this machine on 127.0.0.0/8 addresses, over three HTTPS backends that answer <c>/readyz</c> and say
/// who they are: it forwards, takes a stopped backend out of rotation and puts it back when it returns.
/// </summary>
[Collection(LocalTestCollection.Name)]
public sealed class LocalApiLoadBalancerTests : IAsyncLifetime
{
    private static readonly HealthCheckTiming Fast = new(TimeSpan.FromMilliseconds(300), Fall: 2, Rise: 2);

    private readonly string _state = Directory.CreateTempSubdirectory("kubes-haproxy-").FullName;
    private readonly ServingCertificate _certificate = ServingCertificate.ForLoopback("kubes test apiserver CA");
    private readonly IPAddress[] _addresses = LoopbackAddresses.Random(4);
    private readonly WebApplication?[] _backends = new WebApplication?[3];
    private readonly LocalApiLoadBalancer _loadBalancer;
    private readonly HaproxyConfiguration _configuration;

    public LocalApiLoadBalancerTests()
    {
        var port = LoopbackAddresses.FreePortOn(_addresses);
        _loadBalancer = new LocalApiLoadBalancer($"kubes-br-test{Random.Shared.Next():x}", _state);
        _configuration = new HaproxyConfiguration("test", new IPEndPoint(_addresses[0], port),
            [.. _addresses[1..].Select((address, i) => new ApiBackend($"controller-{i}", new IPEndPoint(address, port)))], Fast);
    }

    public async Task InitializeAsync()
    {
        for (var i = 0; i < _backends.Length; i++) await StartBackendAsync(i);
    }

    public async Task DisposeAsync()
    {
        await _loadBalancer.RemoveAsync(CancellationToken.None);
        foreach (var backend in _backends.OfType<WebApplication>()) await backend.DisposeAsync();
        _certificate.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    [Fact]
    public async Task It_forwards_to_every_backend_drops_one_that_is_down_and_takes_it_back()
    {
        await _loadBalancer.StartAsync(_configuration, CancellationToken.None);

        await Eventually.TrueAsync(() => AnswerersOf(12).SetEquals(["controller-0", "controller-1", "controller-2"]),
            "HAProxy to send requests to all three backends", Log);

        await _backends[1]!.DisposeAsync();
        _backends[1] = null;
        await Eventually.TrueAsync(() => AnswerersOf(12).SetEquals(["controller-0", "controller-2"]),
            "HAProxy to stop sending to controller-1, which is down", Log);
        // Every request is answered, none by the stopped backend: it is out of rotation, not merely failing.
        Assert.Equal(["controller-0", "controller-2"], AnswerersOf(12).Order());

        await StartBackendAsync(1);
        await Eventually.TrueAsync(() => AnswerersOf(12).Contains("controller-1"), "HAProxy to send to controller-1 again", Log);
    }

    [Fact]
    public async Task A_later_run_finds_the_running_haproxy_by_its_marker_and_removes_it()
    {
        await _loadBalancer.StartAsync(_configuration, CancellationToken.None);

        // What the next kubes finds after this one crashed: nothing but the bridge's name and the state folder.
        var later = new LocalApiLoadBalancer(BridgeOf(_loadBalancer), _state);
        var found = later.Read();
        Assert.True(found.IsRunning);
        Assert.Equal(_configuration.Render(), found.Configuration);
        Assert.NotEmpty(LocalProcessTrees.MembersOf(later.TreeId, found.Session));

        await later.RemoveAsync(CancellationToken.None);

        Assert.Empty(LocalProcessTrees.MembersOf(later.TreeId, null));
        Assert.False(later.Read().IsRunning);
        Assert.Null(later.Read().Configuration);
        Assert.False(await CanConnectAsync(_configuration.Frontend));
    }

    [Fact]
    public async Task Starting_again_replaces_the_running_haproxy()
    {
        await _loadBalancer.StartAsync(_configuration, CancellationToken.None);
        var first = _loadBalancer.Read().Session;

        await _loadBalancer.StartAsync(_configuration, CancellationToken.None);

        var second = _loadBalancer.Read().Session;
        Assert.NotNull(second);
        Assert.NotEqual(first, second);
        Assert.Equal([second.Value.LeaderPid], LocalProcessTrees.MembersOf(_loadBalancer.TreeId, second));
    }

    [Fact]
    public async Task A_configuration_haproxy_refuses_is_reported_with_its_reason()
    {
        var clash = _configuration with { Backends = [.. _configuration.Backends, _configuration.Backends[0]] };

        var error = await Assert.ThrowsAsync<LocalProviderException>(() => _loadBalancer.StartAsync(clash, CancellationToken.None));

        Assert.Contains("HAProxy refused the API endpoint's configuration", error.Message);
        Assert.Contains("controller-0", error.Message);
        Assert.False(_loadBalancer.Read().IsRunning);
    }

    private static string BridgeOf(LocalApiLoadBalancer loadBalancer) => loadBalancer.TreeId["haproxy-".Length..];

    private string Log() => "HAProxy's log:\n" + (File.Exists(_loadBalancer.LogPath) ? File.ReadAllText(_loadBalancer.LogPath) : "(none)");

    /// <summary>Who answered <paramref name="count"/> requests through the endpoint, each on a connection of its own.</summary>
    private HashSet<string> AnswerersOf(int count)
    {
        var answerers = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            using var client = new HttpClient(new SocketsHttpHandler
            {
                SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            }) { Timeout = TimeSpan.FromSeconds(5) };
            try
            {
                answerers.Add(client.GetStringAsync($"https://{_configuration.Frontend}/whoami").GetAwaiter().GetResult());
            }
            catch (HttpRequestException)
            {
                answerers.Add("(failed)");
            }
        }
        return answerers;
    }

    private async Task StartBackendAsync(int index)
    {
        var name = $"controller-{index}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(_configuration.Backends[index].Address, listen => listen.UseHttps(_certificate.Certificate)));
        var app = builder.Build();
        app.MapGet("/readyz", () => "ok");
        app.MapGet("/whoami", () => name);
        await app.StartAsync();
        _backends[index] = app;
    }

    private static async Task<bool> CanConnectAsync(IPEndPoint endpoint)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync(endpoint);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
