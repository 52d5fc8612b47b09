namespace Kubes.Controller.Registrar;

/// <summary>Bounds on what an agent may send, enforced by both channels before any work is done.</summary>
public static class RegistrarLimits
{
    /// <summary>Largest serialized request (gRPC message or mailbox object).</summary>
    public const int MaxRequestBytes = 64 * 1024;
    public const int MaxCsrsPerRequest = 16;
    public const int MaxCsrPemChars = 16 * 1024;
    public const int MaxIdentityChars = 128;
    public const int MaxSecretChars = 128;
    public const int MaxSlotIndex = 9999;
    /// <summary>An ssh-ed25519 public key line is about 100 characters with a short comment.</summary>
    public const int MaxSshPublicKeyChars = 1024;
    /// <summary>A PEM RSA 4096 public key is about 800 characters.</summary>
    public const int MaxServiceAccountPublicKeyChars = 2048;
}
