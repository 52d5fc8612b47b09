namespace Kubes.Protos.V1;

/// <summary>
/// The shape of <see cref="SignedCallerIdentity"/>, agreed by both sides: a SigV4-signed POST of sts:GetCallerIdentity
/// whose signed headers include <see cref="ClusterHeader"/>, so a proof made for one cluster's coordinator is refused by
/// every other one.
/// </summary>
public static class CallerIdentityProof
{
    /// <summary>Names the cluster the proof is meant for; covered by the signature, ignored by STS.</summary>
    public const string ClusterHeader = "x-kubes-cluster";

    public const string Body = "Action=GetCallerIdentity&Version=2011-06-15";

    public const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";
}
