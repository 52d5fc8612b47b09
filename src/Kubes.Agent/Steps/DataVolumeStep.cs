using Kubes.Agent.Configuration;
using Kubes.Agent.FileSystem;
using Kubes.Agent.Processes;
using Kubes.Agent.Retries;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Steps;

/// <summary>
/// Puts a role's data volume at its mount path (etcd's /data, or any role's that has one). On AWS (Nitro) the EBS volume appears as
/// <c>/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol…</c> (the registrar sends the slot's volume id): it is formatted
/// ext4 only when a cache-less blkid probe finds neither a file system nor a partition table on it, mounted, and given an
/// fstab line with nofail; a partitioned volume is refused, never formatted. A host without EBS devices (the local provider)
/// gets a plain folder under the root. Which one happened is logged.
/// </summary>
public sealed class DataVolumeStep(
    string mountPath, string volumeTag, AgentPaths paths, CommandRunner commands, DataVolumeTiming timing, ILogger log)
    : IInstallStep
{
    private const string EbsPrefix = "nvme-Amazon_Elastic_Block_Store_";

    public string Name => "prepare-data-volume";

    public string InputHash => FileHash.OfInputs(mountPath, volumeTag);

    private string ByIdDir => paths.Under("/dev/disk/by-id");
    private string Fstab => paths.Under("/etc/fstab");

    /// <summary>Whether this host has EBS devices at all: decides between a volume and a folder.</summary>
    public bool HostHasEbsDevices =>
        Directory.Exists(ByIdDir) && Directory.EnumerateFileSystemEntries(ByIdDir, EbsPrefix + "*").Any();

    public async Task<bool> IsDoneAsync(CancellationToken cancellationToken)
    {
        if (!UsesVolume)
        {
            return Directory.Exists(mountPath);
        }

        var device = FindDataDevice();
        return device is not null && MountedSourceOf(mountPath) is { } source && SameDevice(source, device)
               && File.Exists(Fstab) && (await File.ReadAllLinesAsync(Fstab, cancellationToken)).Any(IsOurFstabLine);
    }

    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        if (!UsesVolume)
        {
            log.LogInformation(string.IsNullOrEmpty(volumeTag)
                ? "No data volume is configured: {MountPath} is a folder on the root disk"
                : "This host has no EBS devices under {ById}: {MountPath} is a folder under the root (local provider)",
                string.IsNullOrEmpty(volumeTag) ? mountPath : ByIdDir, mountPath);
            Directory.CreateDirectory(mountPath);
            return;
        }

        var device = await WaitForDeviceAsync(cancellationToken);
        log.LogInformation("Data volume {Tag} is {Device}", volumeTag, device);
        var found = await ProbeAsync(device, cancellationToken);
        if (found.TryGetValue("TYPE", out var fileSystem))
        {
            log.LogInformation("{Device} already holds a {Type} file system: keeping its data", device, fileSystem);
        }
        else if (found.TryGetValue("PTTYPE", out var partitionTable))
        {
            throw new IOException(
                $"the data volume {volumeTag} ({device}) holds a {partitionTable} partition table and no file system on the " +
                "whole disk: Kubes formats only blank volumes and mounts only whole-disk file systems. Check that it is this " +
                "slot's data volume; if its data is not needed, wipe it (wipefs -a) and restart kubes-agent");
        }
        else
        {
            log.LogInformation("{Device} is blank: formatting it ext4", device);
            await commands.RunCheckedAsync("mkfs.ext4", ["-q", "-L", "kubes-data", device], cancellationToken);
        }

        Directory.CreateDirectory(mountPath);
        if (MountedSourceOf(mountPath) is null)
        {
            await commands.RunCheckedAsync("mount", [device, mountPath], cancellationToken);
        }

        var uuid = (await commands.RunCheckedAsync("blkid", ["-p", "-o", "value", "-s", "UUID", device], cancellationToken))
            .StandardOutput.Trim();
        var fsType = (await commands.RunCheckedAsync("blkid", ["-p", "-o", "value", "-s", "TYPE", device], cancellationToken))
            .StandardOutput.Trim();
        var lines = File.Exists(Fstab) ? (await File.ReadAllLinesAsync(Fstab, cancellationToken)).ToList() : [];
        lines.RemoveAll(IsOurFstabLine);
        lines.Add($"UUID={uuid} {mountPath} {fsType} defaults,nofail 0 2");
        AtomicFile.WriteAllText(Fstab, string.Join('\n', lines) + "\n", AtomicFile.Readable);
    }

    /// <summary>
    /// What a cache-less low-level probe finds on the device (TYPE for a file system, PTTYPE for a partition
    /// table); empty only for a blank device. blkid exits 2 when it finds nothing.
    /// </summary>
    private async Task<Dictionary<string, string>> ProbeAsync(string device, CancellationToken cancellationToken)
    {
        var probe = await commands.RunAsync("blkid", ["-p", "-o", "export", device], cancellationToken);
        if (probe.ExitCode == 2)
        {
            return [];
        }

        if (probe.ExitCode != 0)
        {
            throw new CommandFailedException($"blkid could not read {device} (exit {probe.ExitCode}): {probe.StandardError.Trim()}");
        }

        return probe.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);
    }

    private bool UsesVolume => !string.IsNullOrEmpty(volumeTag) && HostHasEbsDevices;

    private bool IsOurFstabLine(string line)
    {
        var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 2 && !fields[0].StartsWith('#') && fields[1] == mountPath;
    }

    private async Task<string> WaitForDeviceAsync(CancellationToken cancellationToken)
    {
        var device = await Poll.UntilAsync(_ => ValueTask.FromResult(FindDataDevice()), found => found is not null,
            new PollTiming(timing.Poll, timing.AttachTimeout), TimeProvider.System, cancellationToken,
            waiting: _ => log.LogInformation("Waiting for data volume {Tag} to be attached", volumeTag));
        return device ?? throw new IOException(
            $"the data volume {volumeTag} is not attached: no unused {EbsPrefix}* device under {ByIdDir} after " +
            $"{timing.AttachTimeout.TotalSeconds:0}s; check the volume of this slot and its attachment (kubes up attaches it)");
    }

    /// <summary>
    /// The device of the slot's volume: the one whose by-id name carries the volume id when the tag is one,
    /// otherwise the only EBS device that is not in use elsewhere (the root volume is mounted at /).
    /// </summary>
    private string? FindDataDevice()
    {
        if (!Directory.Exists(ByIdDir))
        {
            return null;
        }

        var entries = Directory.EnumerateFileSystemEntries(ByIdDir, EbsPrefix + "*")
            .Where(p => !Path.GetFileName(p).Contains("-part", StringComparison.Ordinal))
            .ToList();
        if (volumeTag.StartsWith("vol-", StringComparison.Ordinal))
        {
            var wanted = EbsPrefix + volumeTag.Replace("-", "", StringComparison.Ordinal);
            return entries.Where(p => Path.GetFileName(p) == wanted).Select(Resolve).FirstOrDefault();
        }

        var mounts = ReadMounts();
        var free = entries.Select(Resolve).Distinct()
            .Where(device => !mounts.Any(m => m.Point != mountPath && SameDevice(m.Source, device)))
            .ToList();
        return free.Count == 1 ? free[0] : null;
    }

    private static string Resolve(string path)
    {
        var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
        return target?.FullName ?? path;
    }

    /// <summary>A mount source is the device or one of its partitions (nvme1n1, nvme1n1p1).</summary>
    private static bool SameDevice(string source, string device)
    {
        var resolved = source.StartsWith('/') && File.Exists(source) ? Resolve(source) : source;
        if (resolved == device)
        {
            return true;
        }

        if (!resolved.StartsWith(device, StringComparison.Ordinal))
        {
            return false;
        }

        // nvme1n1 -> nvme1n1p1, loop0 -> loop0p1; xvdf -> xvdf1.
        var suffix = resolved[device.Length..];
        var partition = char.IsAsciiDigit(device[^1]) ? suffix.StartsWith('p') ? suffix[1..] : "" : suffix;
        return partition.Length > 0 && partition.All(char.IsAsciiDigit);
    }

    private static string? MountedSourceOf(string mountPoint) =>
        ReadMounts().LastOrDefault(m => m.Point == mountPoint).Source;

    private static List<(string Source, string Point)> ReadMounts() =>
        File.ReadAllLines("/proc/self/mounts")
            .Select(l => l.Split(' '))
            .Where(f => f.Length >= 2)
            .Select(f => (f[0], f[1].Replace("\\040", " ")))
            .ToList();
}

public sealed record DataVolumeTiming(TimeSpan AttachTimeout, TimeSpan Poll)
{
    public static DataVolumeTiming Default { get; } = new(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5));
}
