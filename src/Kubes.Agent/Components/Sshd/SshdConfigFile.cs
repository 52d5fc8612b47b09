using System.Text;

namespace Kubes.Agent.Components.Sshd;

/// <summary>
/// sshd_config as Kubes wants every instance's SSH server: its ed25519 host key with the cluster's host certificate,
/// logins only with a certificate of the cluster's user CA naming a principal mapped to the user, no passwords, no
/// keyboard-interactive, no root, no authorized_keys files; local forwarding only (for the jump through the bastion and
/// <c>ssh -L</c>), no agent or X11 forwarding, no tunnels.
/// <para>
/// Which principals may log in as the user is said here, in a <c>Match User</c> block whose AuthorizedPrincipalsCommand
/// prints them, not in an AuthorizedPrincipalsFile: sshd opens that file as the user logging in, who cannot reach into a
/// local instance's root folder (root's alone, 0700); the command reads nothing and runs as nobody.
/// </para>
/// </summary>
public static class SshdConfigFile
{
    public static string Render(SshdLayout layout)
    {
        var config = layout.Config;
        var text = new StringBuilder();
        text.Append("# Written by kubes-agent for ").Append(config.Name).Append(" of cluster ").Append(config.Cluster)
            .Append("; changes are overwritten.\n");
        Line(text, "ListenAddress", $"{layout.Address}:{layout.Port}");
        Line(text, "HostKey", Quoted(layout.HostKeyFile));
        Line(text, "HostCertificate", Quoted(layout.HostCertificateFile));
        Line(text, "PidFile", Quoted(layout.PidFile));
        Line(text, "TrustedUserCAKeys", Quoted(layout.UserCaFile));
        Line(text, "AuthorizedPrincipalsFile", "none");
        Line(text, "AuthorizedKeysFile", "none");
        Line(text, "AllowUsers", layout.Sshd.LoginUser);
        Line(text, "PubkeyAuthentication", "yes");
        Line(text, "PasswordAuthentication", "no");
        Line(text, "KbdInteractiveAuthentication", "no");
        Line(text, "HostbasedAuthentication", "no");
        Line(text, "PermitEmptyPasswords", "no");
        Line(text, "PermitRootLogin", "no");
        // No PAM: sshd checks the certificate, and the login user has no password to check.
        Line(text, "UsePAM", "no");
        Line(text, "AllowTcpForwarding", "local");
        Line(text, "AllowAgentForwarding", "no");
        Line(text, "AllowStreamLocalForwarding", "no");
        Line(text, "X11Forwarding", "no");
        Line(text, "PermitTunnel", "no");
        Line(text, "GatewayPorts", "no");
        Line(text, "PermitUserEnvironment", "no");
        Line(text, "MaxAuthTries", "3");
        Line(text, "LoginGraceTime", "30");
        Line(text, "ClientAliveInterval", "60");
        // VERBOSE logs each login's certificate key id and serial.
        Line(text, "LogLevel", "VERBOSE");
        // Last: a Match block runs to the end of the file.
        text.Append("Match User ").Append(layout.Sshd.LoginUser).Append('\n');
        // %% is sshd's escape for a %; printf writes one principal a line, as a principals file has them.
        text.Append("    AuthorizedPrincipalsCommand /bin/printf %%s\\n ").Append(string.Join(' ', layout.Sshd.AuthorizedPrincipals)).Append('\n');
        text.Append("    AuthorizedPrincipalsCommandUser nobody\n");
        return text.ToString();
    }

    /// <summary>The login user's sudo rule: the operators' certificates are the cluster admins', short-lived and never a password.</summary>
    public static string Sudoers(SshdLayout layout) =>
        $"# Written by kubes-agent; changes are overwritten.\n{layout.Sshd.LoginUser} ALL=(ALL:ALL) NOPASSWD: ALL\n";

    /// <summary>sshd_config takes a value with blanks (a local instance's root folder may have some) in double quotes.</summary>
    private static string Quoted(string path) => path.Any(char.IsWhiteSpace) ? $"\"{path}\"" : path;

    private static void Line(StringBuilder text, string keyword, string value) => text.Append(keyword).Append(' ').Append(value).Append('\n');
}
