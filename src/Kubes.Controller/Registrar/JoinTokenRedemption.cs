namespace Kubes.Controller.Registrar;

/// <summary>Why a join token was not accepted.</summary>
public enum JoinTokenRefusal
{
    /// <summary>Not shaped like a join token (kjt_ and 43 base64url characters).</summary>
    Malformed,
    /// <summary>No token with this hash was ever issued (or it was issued for another state store).</summary>
    Unknown,
    Expired,
    AlreadyUsed,
    BoundToAnotherCluster,
    BoundToAnotherInstance,
    BoundToAnotherSlot,
}

/// <summary>The outcome of a redeem: accepted (and burned), or refused with a reason.</summary>
public sealed record JoinTokenRedemption(JoinTokenRefusal? Refusal, string Detail)
{
    public bool Accepted => Refusal is null;

    public static JoinTokenRedemption Accept(string detail) => new(null, detail);

    public static JoinTokenRedemption Refuse(JoinTokenRefusal refusal, string detail) => new(refusal, detail);
}
