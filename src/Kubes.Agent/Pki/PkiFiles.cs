using Kubes.Agent.Configuration;

namespace Kubes.Agent.Pki;

/// <summary>
/// The agent's PKI folder: &lt;stem&gt;.key (0600), &lt;stem&gt;.crt and &lt;stem&gt;-ca.crt; and, in its state folder, the policy hash
/// each certificate was issued under.
/// </summary>
public sealed class PkiFiles(AgentPaths paths)
{
    public string Directory => paths.PkiDir;

    public string KeyPath(string stem) => Path.Join(paths.PkiDir, CheckStem(stem) + ".key");

    public string CertificatePath(string stem) => Path.Join(paths.PkiDir, CheckStem(stem) + ".crt");

    public string CaPath(string stem) => Path.Join(paths.PkiDir, CheckStem(stem) + "-ca.crt");

    /// <summary>The policy hash the installed certificate was issued under; the agent's own, not for the services.</summary>
    public string PolicyHashPath(string stem) => Path.Join(paths.StateDir, "certificates", CheckStem(stem) + ".policy-hash");

    private static string CheckStem(string stem) =>
        stem.Length > 0 && stem.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && !stem.StartsWith('.')
            ? stem
            : throw new ArgumentException($"certificate file stem '{stem}' is not a plain file name (letters, digits, '-', '_', '.')");
}
