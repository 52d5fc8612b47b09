using System.Net;
using System.Runtime.Versioning;
using Kubes.Controller.Local;
using Kubes.Controller.Tests.Local.Support;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.Local;

/// <summary>
/// The local IMDSv2, one listener for every instance, which tells them apart by the source address of the connection.
/// On loopback here (a test client binds the instance's address as its source, as an instance's namespace fixes it);
/// in namespaces through the handler and end-to-end tests.
/// </summary>
[Collection(LocalTestCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class LocalMetadataServiceTests : IAsyncLifetime
{
    private readonly TempFolder _state = new();
    private readonly ManualClock _clock = new();
    private readonly IPAddress[] _addresses = LoopbackAddresses.Random(3);
    private readonly LocalInstanceRegistry _registry;
    private LocalMetadataService _service = null!;
    private Uri _endpoint = null!;
    private LocalInstance _etcd = null!;
    private LocalInstance _node = null!;

    public LocalMetadataServiceTests()
    {
        _registry = new LocalInstanceRegistry(_state.Path, _clock);
    }

    /// <summary>The listener where a bridge would hold it; the instances at two other addresses.</summary>
    private IPAddress Listen => _addresses[2];

    public async Task InitializeAsync()
    {
        var port = LoopbackAddresses.FreePortOn(Listen);
        _endpoint = new Uri($"http://{Listen}:{port}/");
        _etcd = TestInstances.At(_addresses[0], port, _state.Path, "etcd-0", "local-1a") with { MetadataEndpoint = _endpoint };
        _node = TestInstances.At(_addresses[1], port, _state.Path, "node-1", "local-1b") with { MetadataEndpoint = _endpoint };
        Directory.CreateDirectory(Path.GetDirectoryName(_etcd.UserDataPath)!);
        await File.WriteAllTextAsync(_etcd.UserDataPath, "#!/bin/bash\necho etcd-0 user-data\n");
        await _registry.AddAsync(_etcd);
        await _registry.AddAsync(_node);
        _service = await LocalMetadataService.StartAsync(new IPEndPoint(Listen, port), _registry, time: _clock);
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _state.Dispose();
    }

    private ImdsClient From(LocalInstance instance) => new(_endpoint, instance.Address);

    [Fact]
    public async Task Every_read_needs_a_token_and_answers_the_instances_own_identity_with_it()
    {
        using var imds = From(_etcd);
        string[] paths = ["latest/meta-data/instance-id", "latest/meta-data/local-ipv4", "latest/meta-data/placement/availability-zone", "latest/user-data"];
        foreach (var path in paths)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await imds.GetAsync(path, token: null)).Status);
            Assert.Equal(HttpStatusCode.Unauthorized, (await imds.GetAsync(path, token: "not-a-token")).Status);
        }

        var token = await imds.TokenAsync();
        var answers = new List<string>();
        foreach (var path in paths)
        {
            var (status, body) = await imds.GetAsync(path, token);
            Assert.Equal(HttpStatusCode.OK, status);
            answers.Add(body);
        }
        Assert.Equal([_etcd.InstanceId, _addresses[0].ToString(), "local-1a", "#!/bin/bash\necho etcd-0 user-data\n"], answers);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("21601")]
    [InlineData("60s")]
    [InlineData("99999999999999999999")]
    public async Task A_token_request_without_a_ttl_of_1_to_21600_seconds_is_refused(string? ttl)
    {
        using var imds = From(_etcd);

        var (status, body) = await imds.PutTokenAsync(ttl);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("", body);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(21600)]
    public async Task The_ttl_bounds_themselves_are_accepted(int ttl)
    {
        using var imds = From(_etcd);

        var token = await imds.TokenAsync(ttl);

        Assert.Equal(HttpStatusCode.OK, (await imds.GetAsync("latest/meta-data/instance-id", token)).Status);
    }

    [Fact]
    public async Task A_token_is_valid_for_its_ttl_and_not_a_second_longer()
    {
        using var imds = From(_etcd);
        var token = await imds.TokenAsync(ttlSeconds: 60);

        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(HttpStatusCode.OK, (await imds.GetAsync("latest/meta-data/instance-id", token)).Status);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await imds.GetAsync("latest/meta-data/instance-id", token)).Status);
    }

    [Fact]
    public async Task Tokens_are_random_and_each_one_works()
    {
        using var imds = From(_etcd);

        var tokens = new[] { await imds.TokenAsync(), await imds.TokenAsync(), await imds.TokenAsync() };

        Assert.Equal(3, tokens.Distinct().Count());
        Assert.All(tokens, t => Assert.True(t.Length >= 40, t));
        foreach (var token in tokens)
            Assert.Equal(HttpStatusCode.OK, (await imds.GetAsync("latest/meta-data/instance-id", token)).Status);
    }

    [Fact]
    public async Task A_forwarded_token_request_is_forbidden_as_on_aws()
    {
        using var imds = From(_etcd);

        var (status, _) = await imds.PutTokenAsync("60", new Dictionary<string, string> { ["X-Forwarded-For"] = "203.0.113.9" });

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task Unknown_paths_are_not_found_and_missing_user_data_is_not_found()
    {
        using var imds = From(_node);
        var token = await imds.TokenAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await imds.GetAsync("latest/meta-data/iam/security-credentials/", token)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await imds.GetAsync("latest/user-data", token)).Status);
    }

    [Fact]
    public async Task Two_instances_on_one_listener_see_only_their_own_metadata_and_tokens()
    {
        using var etcd = From(_etcd);
        using var node = From(_node);
        var etcdToken = await etcd.TokenAsync();
        var nodeToken = await node.TokenAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await node.GetAsync("latest/meta-data/instance-id", etcdToken)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await etcd.GetAsync("latest/meta-data/instance-id", nodeToken)).Status);
        Assert.Equal((HttpStatusCode.OK, _etcd.InstanceId), await etcd.GetAsync("latest/meta-data/instance-id", etcdToken));
        Assert.Equal((HttpStatusCode.OK, _node.InstanceId), await node.GetAsync("latest/meta-data/instance-id", nodeToken));
        Assert.Equal((HttpStatusCode.OK, _addresses[1].ToString()), await node.GetAsync("latest/meta-data/local-ipv4", nodeToken));
        Assert.Equal((HttpStatusCode.OK, "local-1b"), await node.GetAsync("latest/meta-data/placement/availability-zone", nodeToken));
    }

    [Fact]
    public async Task An_address_no_instance_has_is_forbidden_whatever_it_asks()
    {
        // The host itself, from the listener's own address, is no instance.
        using var host = new ImdsClient(_endpoint, Listen);

        Assert.Equal(HttpStatusCode.Forbidden, (await host.PutTokenAsync("60")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.GetAsync("latest/meta-data/instance-id", null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.GetAsync("latest/user-data", "any")).Status);
    }

    [Fact]
    public async Task An_instance_is_answered_as_soon_as_it_is_registered_and_never_once_it_is_terminated()
    {
        await _registry.UpdateAsync(_node.InstanceId, i => i with { State = LocalInstanceState.Terminated, TerminatedAt = _clock.GetUtcNow() });
        using var node = From(_node);
        Assert.Equal(HttpStatusCode.Forbidden, (await node.PutTokenAsync("60")).Status);

        var replacement = _node with { InstanceId = LocalInstanceIds.New() };
        await _registry.AddAsync(replacement);

        Assert.Equal(replacement.InstanceId, (await node.GetAsync("latest/meta-data/instance-id", await node.TokenAsync())).Body);
    }

    [Fact]
    public async Task A_replacement_at_the_same_address_does_not_inherit_the_old_instances_tokens()
    {
        using var node = From(_node);
        var oldToken = await node.TokenAsync();
        await _registry.UpdateAsync(_node.InstanceId, i => i with { State = LocalInstanceState.Terminated, TerminatedAt = _clock.GetUtcNow() });
        await _registry.AddAsync(_node with { InstanceId = LocalInstanceIds.New() });

        Assert.Equal(HttpStatusCode.Unauthorized, (await node.GetAsync("latest/meta-data/instance-id", oldToken)).Status);
    }

    [Fact]
    public async Task A_second_service_cannot_take_the_endpoint_and_says_why()
    {
        var listen = new IPEndPoint(Listen, _endpoint.Port);

        var error = await Assert.ThrowsAsync<LocalProviderException>(() => LocalMetadataService.StartAsync(listen, _registry));

        Assert.Contains(listen.ToString(), error.Message);
        Assert.Contains("vpcCidr", error.Message);
    }
}
