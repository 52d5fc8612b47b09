using System.Net;
using Kubes.Agent.Probes;
using Kubes.Agent.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Kubes.Agent.Tests.Probes;

/// <summary>The probe against a real TLS server that requires client certificates, as etcd and kube-apiserver do.</summary>
public sealed class HttpsHealthProbeTests : IAsyncLifetime
{
    private readonly TempRoot _root = new();
    private readonly TestCertificateAuthority _ca = new("component CA");
    private HttpsTestServer _server = null!;

    private string Certificate => _root.Join("probe.crt");
    private string Key => _root.Join("probe.key");
    private string CaFile => _root.Join("probe-ca.crt");

    public async Task InitializeAsync()
    {
        ClientCertificateFiles.Write(_ca, "kube-apiserver-healthcheck", Certificate, Key, CaFile);
        _server = await HttpsTestServer.StartAsync(_ca.IssueServer("component", IPAddress.Loopback), _ca.Certificate,
            context => context.Response.WriteAsync(context.Request.Path == "/livez" ? "ok" : "[-]etcd failed"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _ca.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task The_answer_comes_back_with_its_status_and_body_and_the_server_saw_the_client_certificate()
    {
        var answer = await new HttpsHealthProbe().GetAsync(new HttpsProbeTarget(_server.Url("/livez"), CaFile, Certificate, Key),
            CancellationToken.None);

        Assert.True(answer.IsSuccess, answer.Detail);
        Assert.Equal("ok", answer.Body);
        Assert.Equal($"{_server.Url("/livez")}: 200 ok", answer.Detail);
        Assert.Equal(["CN=kube-apiserver-healthcheck"], _server.ClientSubjects);
    }

    [Fact]
    public async Task A_server_whose_certificate_another_CA_signed_is_not_believed()
    {
        using var other = new TestCertificateAuthority("another CA");
        await using var impostor = await HttpsTestServer.StartAsync(other.IssueServer("component", IPAddress.Loopback), null,
            context => context.Response.WriteAsync("ok"));

        var answer = await new HttpsHealthProbe().GetAsync(new HttpsProbeTarget(impostor.Url("/livez"), CaFile, Certificate, Key),
            CancellationToken.None);

        Assert.False(answer.Answered);
        Assert.Contains("does not chain to 'CN=component CA'", answer.Detail);
        Assert.Empty(impostor.ClientSubjects);
    }

    [Fact]
    public async Task Without_a_client_certificate_a_server_that_requires_one_gives_no_answer()
    {
        var answer = await new HttpsHealthProbe().GetAsync(new HttpsProbeTarget(_server.Url("/livez"), CaFile), CancellationToken.None);

        Assert.False(answer.IsSuccess);
        Assert.StartsWith(_server.Url("/livez").AbsoluteUri, answer.Detail);
    }

    [Fact]
    public async Task Nothing_listening_is_an_answer_that_did_not_come_naming_the_URL()
    {
        var url = new Uri($"https://127.0.0.1:{FreePort.OnLoopback()}/readyz");

        var answer = await new HttpsHealthProbe().GetAsync(new HttpsProbeTarget(url, CaFile, Certificate, Key), CancellationToken.None);

        Assert.False(answer.Answered);
        Assert.StartsWith($"{url}: ", answer.Detail);
    }
}
