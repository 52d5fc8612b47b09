namespace Kubes.Agent.Components.Addons;

/// <summary>
/// What a controller does about the add-on lease, from the lease as read (null: there is none) and the time: create it,
/// renew it (it holds it), take it over (its holder's renewal has run out), or wait for its holder. A write carries the
/// resourceVersion read, so of two controllers racing for it one gets a 409.
/// </summary>
public abstract record LeaseDecision
{
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    private LeaseDecision()
    {
    }

    /// <summary>POST the lease; a 409 means another controller created it first.</summary>
    public sealed record Create(AddonLease Lease) : LeaseDecision;

    /// <summary>PUT the lease this controller holds, renewed.</summary>
    public sealed record Renew(AddonLease Lease) : LeaseDecision;

    /// <summary>PUT the lease with this controller as its holder; a 409 means another controller wrote it first.</summary>
    public sealed record TakeOver(AddonLease Lease, string From) : LeaseDecision;

    /// <summary>Another controller holds it, until <paramref name="Until"/> unless it renews.</summary>
    public sealed record Wait(string Holder, DateTimeOffset Until) : LeaseDecision;

    public static LeaseDecision For(AddonLease? current, string me, DateTimeOffset now)
    {
        var seconds = (int)Duration.TotalSeconds;
        if (current is null) return new Create(new AddonLease(me, now, now, seconds, 0));
        if (current.Holder == me) return new Renew(current with { RenewTime = now, DurationSeconds = seconds });
        if (current.Holder.Length > 0 && current.ExpiresAt is { } expires && expires > now) return new Wait(current.Holder, expires);
        return new TakeOver(current with { Holder = me, AcquireTime = now, RenewTime = now, DurationSeconds = seconds, Transitions = current.Transitions + 1 },
            current.Holder);
    }
}
