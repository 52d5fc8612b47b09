namespace Kubes.Agent.Configuration;

/// <summary>
/// Every path the agent touches, under its root folder: <c>/</c> on AWS, one folder per instance for the
/// local provider, so many instances share one machine with the same code.
/// </summary>
public sealed class AgentPaths(string rootDir)
{
    public string RootDir { get; } = Path.GetFullPath(rootDir);

    public bool IsHostRoot => RootDir == "/";

    /// <summary>Maps an absolute path of the instance (<c>/etc/kubes</c>) into the root folder.</summary>
    public string Under(string absolutePath) =>
        IsHostRoot ? absolutePath : Path.Join(RootDir, absolutePath.TrimStart('/'));

    public string ConfigDir => Under("/etc/kubes");
    public string PkiDir => Under("/etc/kubes/pki");
    public string StateDir => Under("/var/lib/kubes-agent");
    public string JournalFile => Path.Join(StateDir, "journal.json");
    public string ArtifactsDir => Path.Join(StateDir, "artifacts");
    public string UnitDir => Under("/etc/systemd/system");
    public string BinDir => Under("/usr/local/bin");
    public string RunDir => Under("/run/kubes");
    public string LogDir => Under("/var/log/kubes");
}
