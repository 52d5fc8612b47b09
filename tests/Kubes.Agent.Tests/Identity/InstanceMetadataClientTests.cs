using System.Text;
using Kubes.Agent.Configuration;
using Kubes.Agent.Identity;
using Kubes.Agent.Tests.Support;

namespace Kubes.Agent.Tests.Identity;

public sealed class InstanceMetadataClientTests
{
    /// <summary>IMDSv2 as AWS answers it: metadata only with a token from PUT /latest/api/token.</summary>
    internal static LoopbackHttpServer Imds(string instanceId, string ip, string zone) => new(request =>
    {
        (int, byte[]) Text(string s) => (200, Encoding.UTF8.GetBytes(s));
        var path = request.Url!.AbsolutePath;
        if (path == "/latest/api/token")
        {
            return Task.FromResult(request.HttpMethod == "PUT" && request.Headers["X-aws-ec2-metadata-token-ttl-seconds"] is not null
                ? Text("token-" + instanceId)
                : (400, []));
        }

        if (request.Headers["X-aws-ec2-metadata-token"] != "token-" + instanceId)
        {
            return Task.FromResult((401, Array.Empty<byte>()));
        }

        return Task.FromResult(path switch
        {
            "/latest/meta-data/instance-id" => Text(instanceId),
            "/latest/meta-data/local-ipv4" => Text(ip),
            "/latest/meta-data/placement/availability-zone" => Text(zone),
            "/latest/meta-data/iam/security-credentials/" => Text("kubes-demo-node\n"),
            "/latest/meta-data/iam/security-credentials/kubes-demo-node" => Text(
                "{\"Code\":\"Success\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"ASIAEXAMPLE\",\"SecretAccessKey\":\"secret\",\"Token\":\"session-token\"}"),
            _ => (404, Array.Empty<byte>()),
        });
    });

    [Fact]
    public async Task Reads_the_identity_with_an_IMDSv2_token()
    {
        await using var imds = Imds("i-0123456789", "127.0.0.9", "us-east-1b");
        var config = new AgentConfig { Cluster = "demo", Role = "etcd", Slot = 1, JoinToken = "t" };
        var source = new InstanceIdentitySource(config, new InstanceMetadataClient(new HttpClient { BaseAddress = imds.BaseAddress }));

        var identity = await source.ReadAsync(CancellationToken.None);

        Assert.Equal(("i-0123456789", "127.0.0.9", "us-east-1b"), (identity.InstanceId, identity.PrivateIp, identity.AvailabilityZone));
        Assert.Equal((Kubes.Protos.V1.Role.Etcd, 1, "t", "demo"), (identity.Role, identity.Slot, identity.JoinToken, identity.Cluster));
        Assert.Equal("PUT /latest/api/token", imds.Requests[0]);
        Assert.Single(imds.Requests, r => r.Contains("api/token"));
    }

    [Fact]
    public async Task Without_a_join_token_the_identity_carries_a_GetCallerIdentity_signed_with_the_instance_profile()
    {
        await using var imds = Imds("i-0123456789", "127.0.0.9", "us-east-1b");
        var config = new AgentConfig
        {
            Cluster = "demo", Role = "node", StsEndpoint = "https://sts.us-east-1.amazonaws.com/", StsRegion = "us-east-1",
        };
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 30, 1, 2, 3, TimeSpan.Zero));
        var source = new InstanceIdentitySource(config, new InstanceMetadataClient(new HttpClient { BaseAddress = imds.BaseAddress }), clock);

        var proof = (await source.ReadAsync(CancellationToken.None)).CallerIdentity;

        Assert.Equal("https://sts.us-east-1.amazonaws.com/", proof.Url);
        Assert.Equal("Action=GetCallerIdentity&Version=2011-06-15", proof.Body.ToStringUtf8());
        var headers = proof.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value);
        Assert.Equal(("demo", "20261130T010203Z", "session-token"),
            (headers["x-kubes-cluster"], headers["x-amz-date"], headers["x-amz-security-token"]));
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20261130/us-east-1/sts/aws4_request, SignedHeaders=", headers["authorization"]);
        Assert.Contains(";host;", headers["authorization"]);
        Assert.Contains(";x-kubes-cluster,", headers["authorization"]);
    }

    [Fact]
    public async Task With_a_join_token_no_credentials_are_read_and_no_proof_is_made()
    {
        await using var imds = Imds("i-0123456789", "127.0.0.9", "us-east-1b");
        var config = new AgentConfig
        {
            Cluster = "demo", Role = "etcd", JoinToken = "t", StsEndpoint = "https://sts.us-east-1.amazonaws.com/", StsRegion = "us-east-1",
        };
        var source = new InstanceIdentitySource(config, new InstanceMetadataClient(new HttpClient { BaseAddress = imds.BaseAddress }));

        var identity = await source.ReadAsync(CancellationToken.None);

        Assert.Null(identity.CallerIdentity);
        Assert.DoesNotContain(imds.Requests, r => r.Contains("security-credentials"));
    }

    [Fact]
    public async Task A_metadata_service_that_refuses_is_an_error_naming_the_path()
    {
        await using var imds = new LoopbackHttpServer(_ => Task.FromResult((403, Encoding.UTF8.GetBytes("forbidden"))));
        var client = new InstanceMetadataClient(new HttpClient { BaseAddress = imds.BaseAddress });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetInstanceIdAsync(CancellationToken.None));

        Assert.Contains("latest/api/token", error.Message);
        Assert.Contains("403", error.Message);
    }
}
