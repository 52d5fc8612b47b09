using Kubes.Agent.Probes;

namespace Kubes.Agent.Tests.Components;

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
}
