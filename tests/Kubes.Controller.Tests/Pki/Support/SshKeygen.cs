using Kubes.Protos.Ssh;

namespace Kubes.Controller.Tests.Pki.Support;

/// <summary>Runs the real ssh-keygen, so keys and certificates are judged by OpenSSH itself, not by Kubes' own reader.</summary>
internal static class SshKeygen
{
    public static HostTool.Result Run(params string[] arguments) => HostTool.Run("ssh-keygen", arguments);

    /// <summary>A fresh key made by ssh-keygen in <paramref name="folder"/>: its private key file and its public key.</summary>
    public static (string PrivateKeyFile, SshPublicKey PublicKey) NewKey(TempFolder folder, string type = "ed25519")
    {
        var path = NewKeyFile(folder, type);
        return (path, SshPublicKey.Parse(File.ReadAllText(path + ".pub")));
    }

    /// <summary>A fresh key of any type ssh-keygen makes (rsa too, which Kubes never reads); its private key file.</summary>
    public static string NewKeyFile(TempFolder folder, string type)
    {
        var path = folder.Combine($"key-{Guid.NewGuid():N}");
        var made = Run("-q", "-t", type, "-N", "", "-C", "test", "-f", path);
        Assert.True(made.ExitCode == 0, made.Output);
        return path;
    }

    /// <summary><c>ssh-keygen -L</c> of a certificate line: OpenSSH parses it, checking the CA's signature.</summary>
    public static HostTool.Result List(TempFolder folder, string certificateLine)
    {
        var path = folder.Write($"cert-{Guid.NewGuid():N}-cert.pub", certificateLine + "\n");
        return Run("-L", "-f", path);
    }
}
