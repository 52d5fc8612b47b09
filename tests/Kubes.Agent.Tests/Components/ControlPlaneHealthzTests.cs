using System.Net;
using Kubes.Agent.Components;
using Kubes.Agent.Probes;
using Kubes.Agent.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Kubes.Agent.Tests.Components;

/// <summary>
/// The health of kube-controller-manager and kube-scheduler: their /healthz over TLS on loopback, whose certificate they
/// make for themselves, against a real TLS server with a certificate of a CA the agent knows nothing of.
/// </summary>
public sealed class ControlPlaneHealthzTests
{
    [Theory]
    [InlineData("https://10.0.0.20:10257/healthz")]
    [InlineData("https://localhost:10257/healthz")]
    public void A_certificate_goes_unchecked_only_on_a_loopback_address(string url) =>
        Assert.Throws<ArgumentException>(() => HttpsProbeTarget.OnLoopback(new Uri(url)));

    [Fact]
    public void On_loopback_no_ca_is_needed() =>
        Assert.Null(HttpsProbeTarget.OnLoopback(new Uri("https://127.0.0.1:10259/healthz")).CaFile);

    [Theory]
    [InlineData("/healthz", 200, "ok", true)]
    [InlineData("/healthz", 500, "[-]leaderElection failed", false)]
    [InlineData("/other", 404, "ok", false)]
    public async Task Healthy_when_its_healthz_answers_ok(string servedPath, int status, string body, bool healthy)
    {
        using var selfMade = new TestCertificateAuthority("kube-scheduler self-signed");
        await using var server = await HttpsTestServer.StartAsync(selfMade.IssueServer("localhost", IPAddress.Loopback), null, context =>
        {
            context.Response.StatusCode = context.Request.Path == servedPath ? status : 404;
            return context.Response.WriteAsync(body);
        });

        var health = await new ControlPlaneHealthz(new HttpsHealthProbe()).CheckAsync("kube-scheduler", server.Port, CancellationToken.None);

        Assert.Equal(("kube-scheduler", healthy), (health.Component, health.Healthy));
        Assert.Contains($"https://127.0.0.1:{server.Port}/healthz", health.Detail);
    }

    [Fact]
    public async Task Nothing_listening_is_unhealthy_with_the_reason()
    {
        var health = await new ControlPlaneHealthz(new HttpsHealthProbe()).CheckAsync("kube-controller-manager", FreePort.OnLoopback(), CancellationToken.None);

        Assert.False(health.Healthy);
        Assert.NotEmpty(health.Detail);
    }
}
