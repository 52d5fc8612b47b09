using System.Net;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Components.Addons;

/// <summary>
/// This controller's side of the add-on lease: each turn it renews the lease it holds, or reads it and creates it, takes
/// it over or leaves it to its holder (<see cref="LeaseDecision"/>). A lease it holds is renewed from the resourceVersion
/// its own last write answered, without reading it first; a 409 there means another controller wrote it meanwhile, and
/// the lease is lost at once.
/// </summary>
public sealed class AddonLeaseElection(TimeProvider time, ILogger<AddonLeaseElection> log)
{
    /// <summary>How old the last renewal may get during a long apply before the lease is renewed in between.</summary>
    public static readonly TimeSpan RenewAfter = TimeSpan.FromSeconds(10);

    private AddonLease? _held;
    private DateTimeOffset _renewedAt;

    /// <summary>The holder this controller last saw, itself included; "" before it has seen one.</summary>
    public string Holder { get; private set; } = "";

    /// <summary>Whether this controller holds the lease: its last renewal has not run out.</summary>
    public bool IsHeld => _held is not null && time.GetUtcNow() < _renewedAt + LeaseDecision.Duration;

    /// <returns>Whether this controller holds the lease after its turn.</returns>
    /// <exception cref="KubeApiException">The apiserver did not answer, or answered what the election cannot go on with.</exception>
    public async Task<bool> TakeTurnAsync(KubeApiClient api, string me, CancellationToken cancellationToken)
    {
        var current = _held ?? await ReadAsync(api, cancellationToken);
        var now = time.GetUtcNow();
        switch (LeaseDecision.For(current, me, now))
        {
            case LeaseDecision.Wait wait:
                Saw(wait.Holder);
                return false;
            case LeaseDecision.Create create:
                return Settle(await api.PostAsync(AddonLease.Collection, create.Lease.ToJson(), cancellationToken), me, now,
                    "created it", "another controller created it first");
            case LeaseDecision.TakeOver takeOver:
                return Settle(await api.PutAsync(AddonLease.Path, takeOver.Lease.ToJson(), cancellationToken), me, now,
                    $"took it over from {(takeOver.From.Length > 0 ? takeOver.From : "no holder")}, whose renewal had run out",
                    "another controller took it over first");
            case LeaseDecision.Renew renew:
                var resumed = _held is null;
                return Settle(await api.PutAsync(AddonLease.Path, renew.Lease.ToJson(), cancellationToken), me, now,
                    resumed ? "it still named this controller" : null, "another controller wrote it meanwhile");
            default:
                throw new InvalidOperationException("a lease decision this election does not know");
        }
    }

    /// <summary>Mid-apply: renews the lease when its last renewal is <see cref="RenewAfter"/> old.</summary>
    /// <returns>Whether this controller still holds it; once not, it must stop applying.</returns>
    public async Task<bool> KeepAsync(KubeApiClient api, string me, CancellationToken cancellationToken)
    {
        if (_held is null) return false;
        if (time.GetUtcNow() - _renewedAt >= RenewAfter) await TakeTurnAsync(api, me, cancellationToken);
        return IsHeld;
    }

    private static async Task<AddonLease?> ReadAsync(KubeApiClient api, CancellationToken cancellationToken)
    {
        var answer = await api.GetAsync(AddonLease.Path, cancellationToken);
        if (answer.StatusCode == (int)HttpStatusCode.NotFound) return null;
        return answer.IsSuccess ? AddonLease.Parse(answer.Object()) : throw answer.Failure();
    }

    /// <param name="won">What to log when the write makes this controller the holder; null: nothing (a renewal).</param>
    private bool Settle(ApiAnswer answer, string me, DateTimeOffset sentAt, string? won, string lost)
    {
        if (answer.StatusCode is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.NotFound)
        {
            if (_held is not null) log.LogWarning("{Me} lost the add-on lease {Lease}: {Why}", me, AddonLease.Path, lost);
            else log.LogInformation("{Me} did not get the add-on lease: {Why}", me, lost);
            _held = null;
            Holder = "";
            return false;
        }

        if (!answer.IsSuccess) throw answer.Failure();
        _held = AddonLease.Parse(answer.Object());
        _renewedAt = sentAt;
        if (won is not null) log.LogInformation("{Me} holds the add-on lease {Lease}: {How}", me, AddonLease.Path, won);
        Holder = me;
        return true;
    }

    private void Saw(string holder)
    {
        if (_held is not null) log.LogWarning("The add-on lease is held by {Holder} now: this controller stops applying", holder);
        else if (holder != Holder) log.LogInformation("The add-on lease is held by {Holder}: it applies the add-ons", holder);
        _held = null;
        Holder = holder;
    }
}
