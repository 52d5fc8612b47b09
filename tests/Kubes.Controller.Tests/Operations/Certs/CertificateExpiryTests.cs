using CsCheck;
using Kubes.Controller.Operations.Certs;
using Kubes.Protos.Contract;

namespace Kubes.Controller.Tests.Operations.Certs;

public sealed class CertificateExpiryTests
{
    private static readonly DateTimeOffset NotBefore = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ExpiryFlag FlagWithLeft(TimeSpan validity, TimeSpan left) =>
        CertificateExpiry.Of(NotBefore, NotBefore + validity, NotBefore + validity - left);

    [Theory]
    [InlineData(365 * 24 * 60, 31 * 24 * 60, ExpiryFlag.None)]
    [InlineData(365 * 24 * 60, 29 * 24 * 60, ExpiryFlag.Expiring)]
    [InlineData(3650 * 24 * 60, 29 * 24 * 60, ExpiryFlag.Expiring)]
    [InlineData(3650 * 24 * 60, 300 * 24 * 60, ExpiryFlag.None)]
    // A test certificate of 3 minutes (198 s with its backdate): flagged in its last sixth, 33 s.
    [InlineData(3.3, 0.6, ExpiryFlag.None)]
    [InlineData(3.3, 0.5, ExpiryFlag.Expiring)]
    [InlineData(3.3, 0, ExpiryFlag.Expired)]
    [InlineData(3.3, -10, ExpiryFlag.Expired)]
    public void Fewer_than_30_days_or_the_last_sixth_of_a_short_lifetime_is_flagged(double validityMinutes, double leftMinutes, ExpiryFlag flag) =>
        Assert.Equal(flag, FlagWithLeft(TimeSpan.FromMinutes(validityMinutes), TimeSpan.FromMinutes(leftMinutes)));

    [Fact]
    public void A_certificate_its_agent_renews_in_time_is_never_flagged() =>
        Gen.Select(Gen.Long[TimeSpan.FromMinutes(2).Ticks, TimeSpan.FromDays(36500).Ticks], Gen.Double[0, CertificateRenewal.By])
            .Sample((ticks, passed) =>
            {
                var validity = TimeSpan.FromTicks(ticks);
                return CertificateExpiry.Of(NotBefore, NotBefore + validity, NotBefore + validity * passed) == ExpiryFlag.None;
            });
}
