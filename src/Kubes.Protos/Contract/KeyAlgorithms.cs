namespace Kubes.Protos.Contract;

/// <summary>The key algorithms a CertificateRequestSpec may ask for, spelled as both sides write them.</summary>
public static class KeyAlgorithms
{
    public const string EcdsaP256 = "ecdsa-p256";
    public const string Rsa2048 = "rsa-2048";
    public const string Rsa4096 = "rsa-4096";

    public static readonly IReadOnlyList<string> All = [EcdsaP256, Rsa2048, Rsa4096];

    public static bool IsKnown(string algorithm) => All.Contains(algorithm);
}
