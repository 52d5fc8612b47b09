using System.Net;
using Kubes.Agent.Components.Addons;
using Kubes.Agent.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Kubes.Agent.Tests.Components.Addons;

/// <summary>The client against a real TLS server that requires client certificates, as kube-apiserver does.</summary>
public sealed class KubeApiClientTests : IAsyncLifetime
{
    private readonly TempRoot _root = new();
    private readonly TestCertificateAuthority _ca = new("kubernetes CA");
    private readonly List<string> _seen = [];
    private HttpsTestServer _server = null!;

    private string Certificate => _root.Join("addon-manager.crt");
    private string Key => _root.Join("addon-manager.key");
    private string CaFile => _root.Join("addon-manager-ca.crt");

    public async Task InitializeAsync()
    {
        ClientCertificateFiles.Write(_ca, "kubes:addon-manager", Certificate, Key, CaFile);
        _server = await HttpsTestServer.StartAsync(_ca.IssueServer("kube-apiserver", IPAddress.Loopback), _ca.Certificate, async context =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            lock (_seen) _seen.Add($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} {context.Request.ContentType} {body}");
            if (context.Request.Method == "DELETE")
            {
                context.Response.StatusCode = 403;
                await context.Response.WriteAsync("""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"forbidden: nope","reason":"Forbidden","code":403}""");
                return;
            }

            await context.Response.WriteAsync("""{"kind":"ConfigMap"}""");
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _ca.Dispose();
        _root.Dispose();
    }

    private KubeApiClient Client(Uri server) => KubeApiClient.OverMutualTls(server, Certificate, Key, CaFile);

    [Fact]
    public async Task It_presents_the_addon_manager_certificate_and_sends_a_server_side_apply()
    {
        using var client = Client(_server.Url("/"));

        var answer = await client.ApplyAsync("/api/v1/namespaces/kube-system/configmaps/x", """{"a":1}""", "kubes", CancellationToken.None);

        Assert.Equal((200, """{"kind":"ConfigMap"}"""), (answer.StatusCode, answer.Body));
        Assert.Equal(["CN=kubes:addon-manager"], _server.ClientSubjects);
        Assert.Equal(["""PATCH /api/v1/namespaces/kube-system/configmaps/x?fieldManager=kubes&force=true application/apply-patch+yaml {"a":1}"""], _seen);
    }

    [Fact]
    public async Task A_refusal_is_an_answer_whose_status_message_and_reason_are_read()
    {
        using var client = Client(_server.Url("/"));

        var answer = await client.DeleteAsync("/api/v1/namespaces/kube-system/configmaps/x", CancellationToken.None);

        Assert.Equal(403, answer.StatusCode);
        Assert.Equal("Forbidden", answer.Reason);
        Assert.Equal("DELETE /api/v1/namespaces/kube-system/configmaps/x answered 403: forbidden: nope", answer.Failure().Message);
    }

    [Fact]
    public async Task A_server_whose_certificate_another_CA_signed_is_not_believed()
    {
        using var other = new TestCertificateAuthority("another CA");
        await using var impostor = await HttpsTestServer.StartAsync(other.IssueServer("kube-apiserver", IPAddress.Loopback), null,
            context => context.Response.WriteAsync("{}"));
        using var client = Client(impostor.Url("/"));

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.GetAsync("/api/v1/namespaces", CancellationToken.None));

        Assert.Contains($"GET https://127.0.0.1:{impostor.Port}/api/v1/namespaces got no answer", error.Message);
        Assert.Contains("does not chain to 'CN=kubernetes CA'", error.Message);
        Assert.Empty(impostor.ClientSubjects);
    }

    [Theory]
    [InlineData("""{"kind":"Status","message":"leases \"kubes-addons\" not found","reason":"NotFound"}""", "leases \"kubes-addons\" not found")]
    [InlineData("""{"kind":"Lease"}""", """{"kind":"Lease"}""")]
    [InlineData("upstream connect error", "upstream connect error")]
    public void The_message_is_the_statuss_or_else_the_body(string body, string message) =>
        Assert.Equal(message, new ApiAnswer("GET", "/x", 404, body).Message);
}
