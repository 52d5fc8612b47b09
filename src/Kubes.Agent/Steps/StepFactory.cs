using Kubes.Agent.Artifacts;
using Kubes.Agent.Configuration;
using Kubes.Agent.FileSystem;
using Kubes.Agent.Processes;
using Kubes.Agent.Services;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Steps;

/// <summary>
/// The generic steps, with what they need from the host, for a component to put its steps together. Paths are the
/// instance's, already mapped under the agent's root (<see cref="AgentPaths.Under"/>).
/// </summary>
public sealed class StepFactory(
    AgentPaths paths,
    ArtifactFetcher fetcher,
    IServiceManager services,
    CommandRunner commands,
    DataVolumeTiming volumeTiming,
    ILoggerFactory logs)
{
    /// <summary><c>prepare-data-volume</c>: the role's data volume (or, without one, a folder) at <paramref name="mountPath"/>.</summary>
    public DataVolumeStep DataVolume(string mountPath, string volumeTag) =>
        new(mountPath, volumeTag, paths, commands, volumeTiming, logs.CreateLogger<DataVolumeStep>());

    /// <summary>
    /// <c>download-&lt;artifact&gt;</c>: the verified file, kept as
    /// <c>&lt;state&gt;/artifacts/&lt;name&gt;-&lt;version&gt;-&lt;first 12 hex of its SHA-256&gt;&lt;extension&gt;</c>.
    /// </summary>
    public DownloadArtifactStep Download(Artifact artifact, string extension = "") =>
        new(artifact, Path.Join(paths.ArtifactsDir,
            $"{artifact.Name}-{artifact.Version}-{artifact.Sha256[..Math.Min(12, artifact.Sha256.Length)]}{extension}"), fetcher);

    /// <summary>Programs from a downloaded .tar.gz, unpacked in <c>&lt;state&gt;/artifacts/&lt;name&gt;-&lt;version&gt;</c>, into the bin folder.</summary>
    public InstallFromArchiveStep InstallFromArchive(string name, DownloadArtifactStep archive, IReadOnlyList<string> programs) =>
        InstallFromArchive(name, archive, programs, paths.BinDir);

    /// <summary>Programs from a downloaded .tar.gz into <paramref name="destination"/> (the CNI plugins' own folder).</summary>
    public InstallFromArchiveStep InstallFromArchive(string name, DownloadArtifactStep archive, IReadOnlyList<string> programs,
        string destination) =>
        new(name, archive.Destination, archive.Artifact.Sha256,
            Path.Join(paths.ArtifactsDir, $"{archive.Artifact.Name}-{archive.Artifact.Version}"), destination, programs);

    /// <summary><c>install-&lt;program&gt;</c>: a downloaded program that is its own artifact, into the bin folder.</summary>
    public InstallProgramStep InstallProgram(DownloadArtifactStep download, string program) =>
        new($"install-{program}", download.Destination, download.Artifact.Sha256, Path.Join(paths.BinDir, program));

    /// <summary><c>prepare-host</c>: the kernel's modules, sysctls and swap as <paramref name="settings"/> say, where the agent owns the host.</summary>
    public HostKernelStep HostKernel(HostKernelSettings settings) =>
        new(settings, paths.IsHostRoot, paths.Under("/etc"), commands, logs.CreateLogger<HostKernelStep>());

    /// <summary><c>download-&lt;artifact&gt;</c> then <c>install-&lt;program&gt;</c>: a bare program artifact (kubelet, kube-proxy) in the bin folder.</summary>
    public IReadOnlyList<IInstallStep> Program(Artifact artifact, string program)
    {
        var download = Download(artifact);
        return [download, InstallProgram(download, program)];
    }

    /// <summary>
    /// <c>&lt;name&gt;</c>: a component's programs from its artifact — the distribution's packages installed by apt
    /// where the artifact names them (AWS), else the verified archive downloaded (<c>download-&lt;artifact&gt;</c>) and the
    /// programs installed into the bin folder.
    /// </summary>
    public IReadOnlyList<IInstallStep> Programs(string name, Artifact artifact, IReadOnlyList<string> programs)
    {
        if (artifact.DistributionPackages.Count > 0)
        {
            return [new InstallPackagesStep(name, [.. artifact.DistributionPackages], commands)];
        }

        var download = Download(artifact, ".tar.gz");
        return [download, InstallFromArchive(name, download, programs)];
    }

    /// <summary>Where <see cref="Programs"/> puts a program: the distribution's own path, or the bin folder.</summary>
    public string ProgramPath(Artifact artifact, string program, string distributionPath) =>
        artifact.DistributionPackages.Count > 0 ? distributionPath : Path.Join(paths.BinDir, program);

    public RenderFileStep RenderFile(string name, string path, string content, UnixFileMode mode) => new(name, path, content, mode);

    /// <summary>A file only root may read: a kubeconfig, a component's configuration (CIS: 600 or more restrictive).</summary>
    public RenderFileStep RenderOwnerOnly(string name, string path, string content) => new(name, path, content, AtomicFile.OwnerOnly);

    /// <summary>
    /// <c>configure-&lt;unit&gt;</c> then <c>start-&lt;unit&gt;</c>: the unit written, and the service running on it and on
    /// the files it reads (restarted when any of them changed). A file the service reads again by itself when it changes
    /// (a certificate etcd or kube-apiserver reloads for new connections) is left out, so renewing it restarts nothing.
    /// </summary>
    public IReadOnlyList<IInstallStep> Service(SystemdUnit unit, IReadOnlyList<string> filesItReads) =>
        [new InstallUnitStep(unit, services), new StartServiceStep(unit, services, filesItReads)];
}
