using Kubes.Protos.Contract;
using System.Net;
using System.Runtime.Versioning;
using Kubes.Controller.Local;
using Kubes.Controller.Tests.Local.Support;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.Local;

[Collection(LocalTestCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class LocalMetadataServiceTests : IAsyncLifetime
{
    private readonly TempFolder _state = new();
    private readonly ManualClock _clock = new();
    private readonly IPAddress[] _addresses = LoopbackAddresses.Random(2);
    private readonly LocalMetadataService _service;
    private LocalInstance _etcd = null!;
    private LocalInstance _node = null!;

    public LocalMetadataServiceTests()
    {
        _service = new LocalMetadataService(time: _clock);
    }

    public async Task InitializeAsync()
    {
        var port = LoopbackAddresses.FreePortOn(_addresses);
        _etcd = TestInstances.At(_addresses[0], port, _state.Path, "etcd-0", "local-1a");
        _node = TestInstances.At(_addresses[1], port, _state.Path, "node-1", "local-1b");
        Directory.CreateDirectory(Path.GetDirectoryName(_etcd.UserDataPath)!);
        await File.WriteAllTextAsync(_etcd.UserDataPath, "#!/bin/bash\necho etcd-0 user-data\n");
        await _service.AddAsync(_etcd);
        await _service.AddAsync(_node);
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _state.Dispose();
    }

    [Fact]
    public async Task Every_read_needs_a_token_and_answers_the_instances_own_identity_with_it()
    {
        using var imds = new ImdsClient(_etcd.MetadataEndpoint);
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
        using var imds = new ImdsClient(_etcd.MetadataEndpoint);

        var (status, body) = await imds.PutTokenAsync(ttl);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("", body);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(21600)]
    public async Task The_ttl_bounds_themselves_are_accepted(int ttl)
    {
        using var imds = new ImdsClient(_etcd.MetadataEndpoint);

        var token = await imds.TokenAsync(ttl);

        Assert.Equal(HttpStatusCode.OK, (await imds.GetAsync("latest/meta-data/instance-id", token)).Status);
    }

    [Fact]
    public async Task A_token_is_valid_for_its_ttl_and_not_a_second_longer()
    {
        using var imds = new ImdsClient(_etcd.MetadataEndpoint);
        var token = await imds.TokenAsync(ttlSeconds: 60);

        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(HttpStatusCode.OK, (await imds.GetAsync("latest/meta-data/instance-id", token)).Status);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await imds.GetAsync("latest/meta-data/instance-id", token)).Status);
    }

    [Fact]
    public async Task Tokens_are_random_and_each_one_works()
    {
        using var imds = new ImdsClient(_etcd.MetadataEndpoint);

        var tokens = new[] { await imds.TokenAsync(), await imds.TokenAsync(), await imds.TokenAsync() };

        Assert.Equal(3, tokens.Distinct().Count());
        Assert.All(tokens, t => Assert.True(t.Length >= 40, t));
        foreach (var token in tokens)
            Assert.Equal(HttpStatusCode.OK, (await imds.GetAsync("latest/meta-data/instance-id", token)).Status);
    }

    [Fact]
    public async Task A_forwarded_token_request_is_forbidden_as_on_aws()
    {
        using var imds = new ImdsClient(_etcd.MetadataEndpoint);

        var (status, _) = await imds.PutTokenAsync("60", new Dictionary<string, string> { ["X-Forwarded-For"] = "203.0.113.9" });

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task Unknown_paths_are_not_found_and_missing_user_data_is_not_found()
    {
        using var imds = new ImdsClient(_node.MetadataEndpoint);
        var token = await imds.TokenAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await imds.GetAsync("latest/meta-data/iam/security-credentials/", token)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await imds.GetAsync("latest/user-data", token)).Status);
    }

    [Fact]
    public async Task Two_instances_on_two_addresses_see_only_their_own_metadata_and_tokens()
    {
        using var etcd = new ImdsClient(_etcd.MetadataEndpoint);
        using var node = new ImdsClient(_node.MetadataEndpoint);
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
    public async Task A_removed_instance_is_no_longer_served_and_adding_twice_changes_nothing()
    {
        await _service.AddAsync(_node);
        Assert.Equal(new[] { _etcd.InstanceId, _node.InstanceId }.Order(StringComparer.Ordinal), _service.Served);

        await _service.RemoveAsync(_node.InstanceId);

        Assert.Equal([_etcd.InstanceId], _service.Served);
        using var node = new ImdsClient(_node.MetadataEndpoint);
        await Assert.ThrowsAsync<HttpRequestException>(() => node.PutTokenAsync("60"));
    }

    [Fact]
    public async Task A_second_service_cannot_take_an_endpoint_that_is_served_and_says_why()
    {
        await using var other = new LocalMetadataService();

        var error = await Assert.ThrowsAsync<LocalProviderException>(() => other.AddAsync(_etcd));

        Assert.Contains(_etcd.InstanceId, error.Message);
        Assert.Contains($"{_addresses[0]}:{_etcd.MetadataEndpoint.Port}", error.Message);
        Assert.Contains("vpcCidr", error.Message);
    }

    [Fact]
    public async Task A_new_instance_on_an_endpoint_replaces_the_one_served_there()
    {
        var replacement = _node with { InstanceId = LocalInstanceIds.New() };

        await _service.AddAsync(replacement);

        Assert.DoesNotContain(_node.InstanceId, _service.Served);
        using var node = new ImdsClient(_node.MetadataEndpoint);
        Assert.Equal(replacement.InstanceId, (await node.GetAsync("latest/meta-data/instance-id", await node.TokenAsync())).Body);
    }
}
