using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Pki;
using Kubes.Controller.Tests.Reconciler;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Controller.Tests.Pki;

/// <summary><c>kubes serve</c>'s own certificate, renewed while it runs, on virtual time.</summary>
public sealed class CoordinatorServingCertificateTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(3);
    private readonly SteppingTimeProvider _clock = new();
    private readonly List<DateTimeOffset> _issuedAt = [];
    private readonly List<string> _recorded = [];

    private X509Certificate2 Issue()
    {
        var now = _clock.GetUtcNow();
        _issuedAt.Add(now);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest("CN=kubes-coordinator", key, HashAlgorithmName.SHA256).CreateSelfSigned(now, now + Lifetime);
    }

    [Fact]
    public async Task It_is_renewed_each_time_two_thirds_of_its_validity_have_passed_and_each_one_is_recorded_before_it_serves()
    {
        using var stop = new CancellationTokenSource();
        CoordinatorServingCertificate? serving = null;
        serving = await CoordinatorServingCertificate.IssueAsync(Issue, (certificate, _) =>
        {
            // Recorded before it is presented: the one serving is still the previous one.
            Assert.NotEqual(certificate.SerialNumber, serving?.Current.SerialNumber);
            _recorded.Add(certificate.SerialNumber);
            if (_recorded.Count == 4) stop.Cancel();
            return Task.CompletedTask;
        }, _clock, NullLogger.Instance, CancellationToken.None);
        using (serving)
        {
            await serving.RunAsync(stop.Token);

            Assert.Equal(4, _issuedAt.Count);
            Assert.All(_issuedAt.Zip(_issuedAt.Skip(1)), pair => Assert.Equal(Lifetime * 2 / 3, pair.Second - pair.First));
            Assert.Equal(_recorded[^1], serving.Current.SerialNumber);
        }
    }

    [Fact]
    public async Task A_renewal_that_cannot_be_recorded_keeps_the_current_certificate_and_is_tried_again_before_it_expires()
    {
        var failures = 1;
        using var stop = new CancellationTokenSource();
        using var serving = await CoordinatorServingCertificate.IssueAsync(Issue, (certificate, _) =>
        {
            if (_issuedAt.Count == 2 && failures-- > 0) throw new IOException("the state store is away");
            _recorded.Add(certificate.SerialNumber);
            if (_recorded.Count == 2) stop.Cancel();
            return Task.CompletedTask;
        }, _clock, NullLogger.Instance, CancellationToken.None);
        var first = serving.Current.SerialNumber;

        await serving.RunAsync(stop.Token);

        Assert.Equal(3, _issuedAt.Count);
        Assert.Equal(first, _recorded[0]);
        Assert.Equal(_recorded[1], serving.Current.SerialNumber);
        // Tried again a quarter of the time left later: the first certificate was still valid when it was replaced.
        Assert.True(_issuedAt[2] < _issuedAt[0] + Lifetime, $"{_issuedAt[2]:o} is after {_issuedAt[0] + Lifetime:o}");
    }
}
