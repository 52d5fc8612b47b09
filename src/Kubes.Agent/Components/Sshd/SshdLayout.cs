using System.Net;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Steps;
using Kubes.Protos.Contract;
using Kubes.Protos.Ssh;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.Sshd;

/// <summary>
/// Where an instance's SSH server keeps its pieces, from its RoleConfig and the agent's root folder: its programs, its
/// ed25519 host key and certificate (where OpenSSH keeps host keys), its own configuration folder, the address it
/// listens on. Refuses a configuration that lacks what sshd needs.
/// </summary>
public sealed class SshdLayout
{
    public const string ArtifactName = ArtifactNames.OpenSsh;
    public const string UnitName = "kubes-sshd";

    public SshdLayout(RoleConfig config, AgentPaths paths, StepFactory steps)
    {
        Config = config;
        var sshd = config.Sshd ?? throw Invalid("has no sshd section");
        if (!IPAddress.TryParse(config.PrivateIp, out var address)) throw Invalid($"has private_ip '{config.PrivateIp}', which is not an address");
        if (!IsUserName(sshd.LoginUser)) throw Invalid($"names the login user '{sshd.LoginUser}', which is not a user name");
        if (sshd.LoginUser == "root") throw Invalid("names root as the login user; root logins are off");
        if (sshd.AuthorizedPrincipals.Count == 0 || sshd.AuthorizedPrincipals.Any(p => !IsPrincipal(p)))
            throw Invalid("names no principal for the login user, or one that is not letters, digits, '.', '_', '@' and '-'");
        if (sshd.HostPrincipals.Count == 0) throw Invalid("names no principal for the host certificate");
        try
        {
            UserCa = SshPublicKey.Parse(sshd.UserCaPublicKey);
        }
        catch (FormatException e)
        {
            throw Invalid($"has no SSH user CA public key the agent can read ({e.Message})");
        }

        Sshd = sshd;
        Address = address;
        Port = sshd.Port > 0 ? sshd.Port : Ports.Ssh;
        Artifact = config.Artifacts.FirstOrDefault(a => a.Name == ArtifactName) ?? throw Invalid($"has no '{ArtifactName}' artifact");
        Program = steps.ProgramPath(Artifact, "sshd", "/usr/sbin/sshd");
        KeyGen = steps.ProgramPath(Artifact, "ssh-keygen", "/usr/bin/ssh-keygen");
        HostKeyFile = paths.Under("/etc/ssh/ssh_host_ed25519_key");
        ConfigDir = paths.Under("/etc/kubes/sshd");
        PidFile = paths.Under("/run/kubes-sshd.pid");
        SudoersFile = paths.Under("/etc/sudoers.d/kubes-operators");
    }



    public RoleConfig Config { get; }
    public SshdConfig Sshd { get; }
    public SshPublicKey UserCa { get; }
    public IPAddress Address { get; }
    public int Port { get; }
    public Artifact Artifact { get; }
    public string Program { get; }
    public string KeyGen { get; }
    public string HostKeyFile { get; }
    public string HostPublicKeyFile => HostKeyFile + ".pub";
    public string HostCertificateFile => HostKeyFile + "-cert.pub";
    public string ConfigDir { get; }
    public string ConfigFile => Path.Join(ConfigDir, "sshd_config");
    public string UserCaFile => Path.Join(ConfigDir, "user-ca.pub");
    public string PidFile { get; }
    /// <summary>sudo reads it where it runs the host (AWS); under a local root folder nothing reads it.</summary>
    public string SudoersFile { get; }

    /// <summary>The programs the openssh artifact brings where it is a file: the server, and ssh-keygen for the host key.</summary>
    public static IReadOnlyList<string> Programs { get; } = ["sshd", "ssh-keygen"];

    /// <summary>A principal goes into sshd_config as an argument: nothing sshd or printf could read as more than a name.</summary>
    private static bool IsPrincipal(string principal) =>
        principal.Length is > 0 and <= 64 && principal.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@');

    private static bool IsUserName(string name) =>
        name.Length is > 0 and <= 32 && (char.IsAsciiLetterLower(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-');

    private InvalidRoleConfigException Invalid(string problem) =>
        new($"the sshd role configuration for {Config?.Name ?? "this instance"} {problem}; the coordinator's RoleConfig must be fixed");
}
