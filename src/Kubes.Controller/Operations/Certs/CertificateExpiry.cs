using Kubes.Protos.Contract;

namespace Kubes.Controller.Operations.Certs;

/// <summary>What <c>kubes certs</c> says of a certificate's expiry.</summary>
public enum ExpiryFlag
{
    /// <summary>Plenty of time left, or its holder has time to renew it.</summary>
    None,

    /// <summary>
    /// Fewer than <see cref="CertificateExpiry.Warning"/> left, or (short lifetimes, as in tests) less than the last sixth of
    /// its validity: past the point its agent should have renewed it.
    /// </summary>
    Expiring,

    Expired,

    /// <summary>Replaced by a newer certificate of the same holder and identity (shown with <c>--all</c> only).</summary>
    Superseded,
}

/// <summary>The one rule <c>kubes certs</c> flags by, for leaves and CAs alike.</summary>
public static class CertificateExpiry
{
    public static readonly TimeSpan Warning = TimeSpan.FromDays(30);

    public static ExpiryFlag Of(DateTimeOffset notBefore, DateTimeOffset notAfter, DateTimeOffset now)
    {
        var left = notAfter - now;
        if (left <= TimeSpan.Zero) return ExpiryFlag.Expired;
        var overdue = (notAfter - notBefore) * (1 - CertificateRenewal.OverdueAfter);
        return left < (overdue < Warning ? overdue : Warning) ? ExpiryFlag.Expiring : ExpiryFlag.None;
    }
}
