using Amazon.S3;
using Amazon.S3.Model;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Channels;

namespace Kubes.Controller.Tests.State;

[Collection(MotoRegistrarCollection.Name)]
public sealed class S3StateStoreTests : StateStoreContractTests
{
    private const string Bucket = "kubes-state-test";
    private readonly MotoS3Fixture _moto;
    private readonly AmazonS3Client _s3;

    public S3StateStoreTests(MotoS3Fixture moto)
    {
        _moto = moto;
        _s3 = moto.CreateS3Client();
    }

    protected override async Task<IStateStore> CreateStoreAsync()
    {
        await _moto.ResetAsync();
        await _s3.PutBucketAsync(Bucket);
        return OpenAgain();
    }

    protected override IStateStore OpenAgain() => new S3StateStore(_s3, S3StateLocation.Parse($"s3://{Bucket}/clusters/prod"));

    public override Task DisposeAsync()
    {
        _s3.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Every_put_asks_for_server_side_encryption()
    {
        await Store.PutAsync("plain", "x"u8.ToArray());
        await Store.PutIfAbsentAsync("absent", "y"u8.ToArray());
        var version = await Store.PutAsync("versioned", "1"u8.ToArray());
        await Store.PutAsync("versioned", "2"u8.ToArray(), version);

        foreach (var key in new[] { "plain", "absent", "versioned" })
        {
            var head = await _s3.GetObjectMetadataAsync(Bucket, $"clusters/prod/{key}");
            Assert.Equal(ServerSideEncryptionMethod.AES256, head.ServerSideEncryptionMethod);
        }
    }

    [Fact]
    public async Task With_a_kms_key_puts_ask_for_sse_kms()
    {
        var store = new S3StateStore(_s3, S3StateLocation.Parse($"s3://{Bucket}"), kmsKeyId: "alias/kubes-state");
        await store.PutAsync("kms", "x"u8.ToArray());
        var head = await _s3.GetObjectMetadataAsync(Bucket, "kms");
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, head.ServerSideEncryptionMethod);
    }

    [Fact]
    public async Task Keys_live_under_the_locations_prefix_and_list_without_it()
    {
        await Store.PutAsync("status/agents/i-1.pb", "x"u8.ToArray());
        var listed = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket });
        Assert.Equal("clusters/prod/status/agents/i-1.pb", Assert.Single(listed.S3Objects).Key);
        Assert.Equal(["status/agents/i-1.pb"], await Store.ListAsync("status/"));
        Assert.Equal("s3://kubes-state-test/clusters/prod", Store.Location);
    }

    [Fact]
    public async Task A_listing_longer_than_one_page_is_complete()
    {
        var keys = Enumerable.Range(0, 1005).Select(i => $"many/{i:D4}").ToList();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (key, ct) => await Store.PutAsync(key, "x"u8.ToArray(), cancellationToken: ct));
        Assert.Equal(keys, await Store.ListAsync("many/"));
    }

    [Fact]
    public async Task An_object_over_the_limit_is_refused_by_its_size_and_its_body_is_not_downloaded()
    {
        const int size = 32 << 20;
        await Store.PutAsync("mailbox/requests/i-1/big.pb", new byte[size]);
        var counting = new CountingHttpClientFactory();
        using var client = new AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials("testing", "testing"), new AmazonS3Config
        {
            ServiceURL = _moto.Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            HttpClientFactory = counting,
        });
        var store = new S3StateStore(client, S3StateLocation.Parse($"s3://{Bucket}/clusters/prod"));

        var refused = await Assert.ThrowsAsync<StateObjectTooLargeException>(
            () => store.GetAsync("mailbox/requests/i-1/big.pb", maxBytes: 64 * 1024));
        Assert.Equal(size, refused.Size);
        Assert.True(counting.BodyBytesRead <= 64 * 1024, $"{counting.BodyBytesRead} body bytes were read");

        // The same client does read bodies: the counter is not blind.
        await store.GetAsync("mailbox/requests/i-1/big.pb");
        Assert.True(counting.BodyBytesRead >= size, $"{counting.BodyBytesRead} body bytes were read");
    }

    [Fact]
    public async Task A_missing_bucket_is_reported_with_the_next_step()
    {
        var store = new S3StateStore(_s3, S3StateLocation.Parse("s3://no-such-bucket/x"));
        var error = await Assert.ThrowsAsync<StateStoreException>(() => store.PutAsync("k", "x"u8.ToArray()));
        Assert.Contains("no-such-bucket", error.Message);
        Assert.Contains("kubes up", error.Message);
        await Assert.ThrowsAsync<StateStoreException>(() => store.GetAsync("k"));
    }

    [Fact]
    public async Task An_endpoint_nobody_answers_on_is_reported_with_the_next_step()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var deadEndpoint = $"http://{listener.LocalEndpoint}";
        listener.Stop();
        using var client = new AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials("testing", "testing"), new AmazonS3Config
        {
            ServiceURL = deadEndpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        });
        var store = new S3StateStore(client, S3StateLocation.Parse($"s3://{Bucket}"));
        var error = await Assert.ThrowsAsync<StateStoreException>(() => store.ListAsync("status/"));
        Assert.Contains("AWS_ENDPOINT_URL", error.Message);
    }

    [Fact]
    public async Task The_client_follows_AWS_ENDPOINT_URL_with_path_style_addressing()
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = _moto.Endpoint,
            ["AWS_ACCESS_KEY_ID"] = "testing",
            ["AWS_SECRET_ACCESS_KEY"] = "testing",
        };
        using var client = S3StateStore.CreateClient("us-east-1", name => environment.GetValueOrDefault(name));
        Assert.True(((AmazonS3Config)client.Config).ForcePathStyle);
        Assert.StartsWith(_moto.Endpoint, client.Config.ServiceURL);

        // The SDK's credential chain is not the emulator's; reuse the resolved config with its keys.
        using var withKeys = new AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials("testing", "testing"),
            (AmazonS3Config)client.Config);
        await new S3StateStore(withKeys, S3StateLocation.Parse($"s3://{Bucket}")).PutAsync("through-env", "x"u8.ToArray());
        Assert.NotNull(await _s3.GetObjectMetadataAsync(Bucket, "through-env"));
    }

    [Fact]
    public void The_service_specific_endpoint_wins_over_the_general_one()
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1",
            ["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:2",
        };
        using var client = S3StateStore.CreateClient("eu-west-1", name => environment.GetValueOrDefault(name));
        Assert.StartsWith("http://127.0.0.1:2", client.Config.ServiceURL);
    }
}
