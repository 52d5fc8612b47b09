namespace Kubes.Controller.Pki;

/// <summary>The TLS roles a certificate may play: id-kp-serverAuth and id-kp-clientAuth.</summary>
[Flags]
public enum ExtendedKeyUsages
{
    None = 0,
    ServerAuth = 1,
    ClientAuth = 2,
}

internal static class ExtendedKeyUsageOids
{
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";
}
