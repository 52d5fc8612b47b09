namespace Kubes.Controller.Pki.Vpn;

/// <summary>One profile <c>kubes vpn profile</c> issued: its certificate's serial and validity, and when it was revoked.</summary>
public sealed record VpnProfileRecord(string Name, string Serial, DateTimeOffset NotBefore, DateTimeOffset NotAfter,
    DateTimeOffset IssuedAt, DateTimeOffset? RevokedAt = null)
{
    public VpnProfileState StateAt(DateTimeOffset now) =>
        RevokedAt is not null ? VpnProfileState.Revoked : now >= NotAfter ? VpnProfileState.Expired : VpnProfileState.Active;
}

public enum VpnProfileState { Active, Revoked, Expired }
