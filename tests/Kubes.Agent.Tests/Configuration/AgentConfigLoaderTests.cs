using Kubes.Agent.Configuration;
using Kubes.Agent.Tests.Support;

namespace Kubes.Agent.Tests.Configuration;

public sealed class AgentConfigLoaderTests : IDisposable
{
    private readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    private AgentConfig LoadJson(string json)
    {
        var path = _root.Join("agent.json");
        File.WriteAllText(path, json);
        return AgentConfigLoader.Load(path);
    }

    private const string Pin = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void Reads_the_schema_user_data_writes()
    {
        var config = LoadJson($$"""
            {"cluster":"demo","role":"etcd","slot":2,"joinToken":"tok","channel":"grpc",
             "coordinatorUrl":"https://127.0.0.1:7443","coordinatorCaSha256":"{{Pin}}",
             "mailbox":{"bucket":"b","prefix":"p","region":"eu-west-1","endpoint":""},"rootDir":"/srv/i-1"}
            """);

        Assert.Equal(("demo", "etcd", 2, "tok", "grpc"), (config.Cluster, config.Role, config.Slot, config.JoinToken, config.Channel));
        Assert.Equal(("b", "p", "eu-west-1"), (config.Mailbox!.Bucket, config.Mailbox.Prefix, config.Mailbox.Region));
        Assert.Equal("/srv/i-1", config.RootDir);
        Assert.Equal(30, config.HealthIntervalSeconds);
    }

    [Theory]
    [InlineData("""{"cluster":"demo","role":"master","channel":"s3","mailbox":{"bucket":"b"}}""", "'role'")]
    [InlineData("""{"cluster":"demo","role":"etcd","channel":"carrier-pigeon"}""", "'channel'")]
    [InlineData("""{"cluster":"demo","role":"etcd","channel":"s3"}""", "'mailbox.bucket'")]
    [InlineData("""{"cluster":"demo","role":"etcd","channel":"grpc","coordinatorUrl":"http://x:1","coordinatorCaSha256":"sha256:00"}""", "'coordinatorUrl'")]
    [InlineData("""{"cluster":"demo","role":"etcd","channel":"grpc","coordinatorUrl":"https://x:1","coordinatorCaSha256":"md5:00"}""", "'coordinatorCaSha256'")]
    [InlineData("""{"cluster":"demo","role":"etcd","channel":"s3","mailbox":{"bucket":"b"},"rootDir":"relative"}""", "'rootDir'")]
    [InlineData("""{"cluster":"demo","role":"etcd","channel":"s3","mailbox":{"bucket":"b"},"colour":"red"}""", "colour")]
    public void Refuses_a_configuration_naming_the_field(string json, string field)
    {
        var error = Assert.Throws<AgentConfigException>(() => LoadJson(json));

        Assert.Contains(field, error.Message);
    }

    [Fact]
    public void A_coordinator_CA_that_is_not_the_pinned_one_is_refused()
    {
        using var ca = new TestCertificateAuthority();
        var json = $$"""
            {"cluster":"demo","role":"etcd","channel":"grpc","coordinatorUrl":"https://127.0.0.1:7443",
             "coordinatorCaSha256":"{{Pin}}","coordinatorCa":"{{Convert.ToBase64String(ca.Certificate.RawData)}}"}
            """;

        Assert.Contains("not the pinned", Assert.Throws<AgentConfigException>(() => LoadJson(json)).Message);
    }

    [Fact]
    public void A_missing_file_says_who_writes_it() =>
        Assert.Contains("user-data", Assert.Throws<AgentConfigException>(() => AgentConfigLoader.Load(_root.Join("none.json"))).Message);
}
