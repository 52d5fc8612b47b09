namespace Kubes.Agent.Components;

/// <summary>
/// The TLS every control-plane component serves: TLS 1.2 and later, and for TLS 1.2 only ECDHE key exchange with AEAD
/// ciphers (TLS 1.3 suites are not configurable in Go and are all strong). The CIS Benchmark's list of strong ciphers
/// (1.2.29) holds every one of these.
/// </summary>
public static class StrongTls
{
    public const string MinVersion = "VersionTLS12";

    public static IReadOnlyList<string> CipherSuites { get; } =
    [
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    ];
}
