namespace Kubes.Protos.Contract;

/// <summary>
/// When a certificate is renewed, as both sides count it: agents renew each of theirs at a point between
/// <see cref="From"/> and <see cref="By"/> of its validity (notBefore to notAfter), spread by a jitter of their own;
/// <c>kubes serve</c> renews its serving certificate at <see cref="From"/>; <c>kubes certs</c> flags a certificate its
/// holder should have renewed long before (<see cref="OverdueAfter"/>). What is left after <see cref="By"/> is the time
/// a renewal that failed has to be retried.
/// </summary>
public static class CertificateRenewal
{
    public const double From = 2.0 / 3;
    public const double By = 3.0 / 4;

    /// <summary>Past this part of its validity a certificate is overdue: its agent let the whole jitter window pass.</summary>
    public const double OverdueAfter = 5.0 / 6;

    /// <summary>The moment <paramref name="fraction"/> of the span from notBefore to notAfter has passed.</summary>
    public static DateTimeOffset At(DateTimeOffset notBefore, DateTimeOffset notAfter, double fraction) =>
        notBefore + (notAfter - notBefore) * fraction;
}
