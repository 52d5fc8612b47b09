using System.Net;
using Kubes.Agent.Components.Etcd;
using Kubes.Agent.Configuration;
using Kubes.Agent.Pki;
using Kubes.Agent.Probes;
using Kubes.Agent.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Kubes.Agent.Tests.Components.Etcd;

/// <summary>etcd's judgement of its /health answer, against a TLS server answering as etcd does in each state.</summary>
public sealed class EtcdHealthCheckTests : IAsyncLifetime
{
    private readonly TempRoot _root = new();
    private readonly TestCertificateAuthority _ca = new("etcd CA");
    private (int Status, string Body) _answer;
    private HttpsTestServer _server = null!;
    private EtcdLayout _layout = null!;

    public async Task InitializeAsync()
    {
        _server = await HttpsTestServer.StartAsync(_ca.IssueServer("etcd-0", IPAddress.Loopback), _ca.Certificate, context =>
        {
            context.Response.StatusCode = _answer.Status;
            return context.Response.WriteAsync(_answer.Body);
        });
        var paths = new AgentPaths(_root.Path);
        var pki = new PkiFiles(paths);
        ClientCertificateFiles.Write(_ca, "etcd-0", pki.CertificatePath("etcd-member"), pki.KeyPath("etcd-member"), pki.CaPath("etcd-member"));
        var config = EtcdUnitTests.Config();
        config.PrivateIp = "127.0.0.1";
        config.Etcd.ClientPort = _server.Port;
        _layout = new EtcdLayout(config, paths, pki);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _ca.Dispose();
        _root.Dispose();
    }

    [Theory]
    [InlineData(200, """{"health":"true","reason":""}""", true)]
    [InlineData(503, """{"health":"false","reason":"RAFT NO LEADER"}""", false)]
    [InlineData(200, """{"health":"false"}""", false)]
    [InlineData(200, """{"health":true}""", false)]
    [InlineData(200, "ok", false)]
    [InlineData(200, "[]", false)]
    public async Task Healthy_only_when_etcd_says_health_true(int status, string body, bool healthy)
    {
        _answer = (status, body);

        var health = await new EtcdHealthCheck(new HttpsHealthProbe()).CheckAsync(_layout, CancellationToken.None);

        Assert.Equal(healthy, health.Healthy);
        Assert.Equal("etcd", health.Component);
        Assert.Equal($"https://127.0.0.1:{_server.Port}/health: {status} {body}", health.Detail);
        Assert.Equal("CN=etcd-0", _server.ClientSubjects.Last());
    }
}
