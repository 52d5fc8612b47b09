using CsCheck;
using Kubes.Agent.Pki;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Pki;

/// <summary>The renewal decision on virtual time: every moment is given, none is read from a clock.</summary>
public sealed class RenewalDecisionTests
{
    private static readonly DateTimeOffset Issued = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static CertificateRequestSpec Spec(string policyHash = "p1") =>
        new() { Identity = "etcd-member/etcd-0", KeyAlgorithm = "ecdsa-p256", FileStem = "etcd-member", PolicyHash = policyHash };

    private static InstalledCertificate Certificate(TimeSpan validity, string serial = "0A1B", string? policyHash = "p1",
        bool usable = true) => new(Issued, Issued + validity, serial, usable, policyHash);

    [Fact]
    public void A_certificate_is_kept_until_its_renewal_time_and_requested_from_then_on()
    {
        var certificate = Certificate(TimeSpan.FromDays(365));
        var kept = RenewalDecision.For(Spec(), certificate, "i-1", Issued + TimeSpan.FromDays(200));
        var due = kept.DueAt!.Value;

        Assert.False(kept.Request);
        Assert.False(RenewalDecision.For(Spec(), certificate, "i-1", due - TimeSpan.FromTicks(1)).Request);
        var renew = RenewalDecision.For(Spec(), certificate, "i-1", due);
        Assert.True(renew.Request);
        Assert.Contains("renewal time", renew.Reason);
        Assert.True(RenewalDecision.For(Spec(), certificate, "i-1", Issued + TimeSpan.FromDays(400)).Request);
    }

    [Fact]
    public void The_renewal_time_lies_between_two_thirds_and_three_quarters_of_the_validity_and_is_the_same_on_every_restart() =>
        Gen.Select(Gen.Long[TimeSpan.FromMinutes(2).Ticks, TimeSpan.FromDays(36500).Ticks], Gen.String, Gen.String[Gen.Char.AlphaNumeric, 1, 32])
            .Sample((ticks, instance, serial) =>
            {
                var certificate = Certificate(TimeSpan.FromTicks(ticks), serial);
                var due = RenewalDecision.For(Spec(), certificate, instance, Issued).DueAt!.Value;
                var again = RenewalDecision.For(Spec(), certificate, instance, Issued).DueAt!.Value;
                return due == again
                       && due >= CertificateRenewal.At(certificate.NotBefore, certificate.NotAfter, CertificateRenewal.From)
                       && due <= CertificateRenewal.At(certificate.NotBefore, certificate.NotAfter, CertificateRenewal.By);
            });

    [Fact]
    public void The_jitter_spreads_over_its_whole_window_from_zero_to_one()
    {
        var jitters = Enumerable.Range(0, 2000).Select(i => RenewalDecision.Jitter($"i-{i:x8}", "etcd-member/etcd-0", "01")).ToList();

        Assert.All(jitters, j => Assert.InRange(j, 0, 0.9999999999));
        Assert.True(jitters.Min() < 0.01 && jitters.Max() > 0.99, $"{jitters.Min()} .. {jitters.Max()}");
        // Ten equal bins, each holding a tenth give or take a third: no clustering for three members to fall into together.
        Assert.All(jitters.GroupBy(j => (int)(j * 10)), bin => Assert.InRange(bin.Count(), 130, 270));
    }

    [Fact]
    public void Three_etcd_members_issued_at_the_same_moment_renew_at_three_different_moments()
    {
        var certificate = Certificate(TimeSpan.FromDays(365));
        var due = new[] { "etcd-0", "etcd-1", "etcd-2" }.Select(member => RenewalDecision.For(
            new CertificateRequestSpec(Spec()) { Identity = $"etcd-member/{member}" }, certificate with { SerialNumber = $"{member}-serial" },
            $"i-{member}", Issued).DueAt!.Value).ToList();

        Assert.Equal(3, due.Distinct().Count());
    }

    [Fact]
    public void A_changed_policy_hash_asks_at_once_whatever_the_time()
    {
        var certificate = Certificate(TimeSpan.FromDays(365), policyHash: "p1");

        var changed = RenewalDecision.For(Spec("p2"), certificate, "i-1", Issued + TimeSpan.FromMinutes(1));

        Assert.True(changed.Request);
        Assert.Contains("issuance policy changed", changed.Reason);
        Assert.True(RenewalDecision.For(Spec("p2"), certificate with { PolicyHash = null }, "i-1", Issued).Request);
        // A coordinator that sends no hash (older than renewal) asks for nothing new.
        Assert.False(RenewalDecision.For(Spec(""), certificate, "i-1", Issued).Request);
    }

    [Fact]
    public void No_certificate_or_one_without_its_key_or_CA_is_requested_at_once()
    {
        Assert.Equal("none is installed", RenewalDecision.For(Spec(), null, "i-1", Issued).Reason);
        Assert.True(RenewalDecision.For(Spec(), Certificate(TimeSpan.FromDays(365), usable: false), "i-1", Issued).Request);
    }
}
