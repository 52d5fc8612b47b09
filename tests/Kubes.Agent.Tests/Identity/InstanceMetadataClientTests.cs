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
    public async Task A_metadata_service_that_refuses_is_an_error_naming_the_path()
    {
        await using var imds = new LoopbackHttpServer(_ => Task.FromResult((403, Encoding.UTF8.GetBytes("forbidden"))));
        var client = new InstanceMetadataClient(new HttpClient { BaseAddress = imds.BaseAddress });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetInstanceIdAsync(CancellationToken.None));

        Assert.Contains("latest/api/token", error.Message);
        Assert.Contains("403", error.Message);
    }
}
