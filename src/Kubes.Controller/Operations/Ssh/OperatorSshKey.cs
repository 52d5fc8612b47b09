using System.Security.Cryptography;
using Kubes.Controller.Pki.Ssh;
using Kubes.Protos.Ssh;

namespace Kubes.Controller.Operations.Ssh;

/// <summary>
/// An operator's SSH key, made on the operator's machine for one use (<c>kubes ssh</c>) or one working period
/// (<c>kubes ssh-config</c>), with a user certificate of the cluster's SSH user CA: for the operators' principal only,
/// for the spec's user-certificate lifetime, allowing a terminal and local forwarding (the jump through the bastion) and
/// nothing else. ssh reads the key as PKCS#8 PEM and the certificate from the file beside it.
/// </summary>
public static class OperatorSshKey
{
    public const string KeyFileName = "id_ecdsa";
    public const string CertificateFileName = KeyFileName + "-cert.pub";

    /// <summary>What a user certificate of the cluster allows besides logging in.</summary>
    public static readonly IReadOnlyList<string> Extensions = ["permit-port-forwarding", "permit-pty"];

    /// <summary>Makes the key and its certificate in <paramref name="folder"/> (made 0700): the key 0600, the certificate 0644.</summary>
    public static SshCertificate Issue(string folder, SshCertificateAuthority userCa, string principal, string keyId,
        DateTimeOffset now, TimeSpan lifetime)
    {
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var certificate = userCa.Sign(SshPublicKey.FromEcdsa(key), keyId, [principal], now, now + lifetime, Extensions);
        PrivateFiles.Write(Path.Join(folder, KeyFileName), key.ExportPkcs8PrivateKeyPem(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        PrivateFiles.Write(Path.Join(folder, CertificateFileName), certificate.ToLine(keyId) + "\n",
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return certificate;
    }
}
