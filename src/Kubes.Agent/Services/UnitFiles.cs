using Kubes.Agent.FileSystem;

namespace Kubes.Agent.Services;

/// <summary>
/// A unit's files in the unit folder: <c>&lt;name&gt;.service</c> and its drop-ins in <c>&lt;name&gt;.service.d/</c>. A drop-in
/// the agent wrote that the unit no longer has is removed; one written by someone else is left alone (and still applies).
/// </summary>
public sealed class UnitFiles(string unitDirectory)
{
    public string UnitPath(string name) => Path.Join(unitDirectory, name + ".service");

    public string DropInDirectory(string name) => Path.Join(unitDirectory, name + ".service.d");

    public void Write(SystemdUnit unit)
    {
        foreach (var dropIn in unit.DropIns)
        {
            AtomicFile.WriteAllText(Path.Join(DropInDirectory(unit.Name), dropIn.FileName), dropIn.Render(), AtomicFile.OwnerOnly);
        }

        foreach (var stale in StaleDropIns(unit))
        {
            File.Delete(stale);
        }

        AtomicFile.WriteAllText(UnitPath(unit.Name), unit.Render(), AtomicFile.OwnerOnly);
    }

    /// <summary>Whether the unit file and every drop-in on disk are exactly this unit's, with no stale drop-in of ours.</summary>
    public async Task<bool> AreWrittenAsync(SystemdUnit unit, CancellationToken cancellationToken)
    {
        if (!await HoldsAsync(UnitPath(unit.Name), unit.Render(), cancellationToken))
        {
            return false;
        }

        foreach (var dropIn in unit.DropIns)
        {
            if (!await HoldsAsync(Path.Join(DropInDirectory(unit.Name), dropIn.FileName), dropIn.Render(), cancellationToken))
            {
                return false;
            }
        }

        return !StaleDropIns(unit).Any();
    }

    /// <summary>The service as written: the unit file with every drop-in applied, in the order of their names.</summary>
    public async Task<SystemdUnit> ReadAsync(string name, CancellationToken cancellationToken)
    {
        var path = UnitPath(name);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"the unit {path} is not installed");
        }

        var dropIns = new List<string>();
        foreach (var file in DropInFiles(name))
        {
            dropIns.Add(await File.ReadAllTextAsync(file, cancellationToken));
        }

        return SystemdUnit.Parse(name, await File.ReadAllTextAsync(path, cancellationToken), dropIns);
    }

    private IEnumerable<string> DropInFiles(string name) =>
        Directory.Exists(DropInDirectory(name))
            ? Directory.EnumerateFiles(DropInDirectory(name), "*.conf").Order(StringComparer.Ordinal)
            : [];

    private IEnumerable<string> StaleDropIns(SystemdUnit unit) =>
        DropInFiles(unit.Name)
            .Where(file => unit.DropIns.All(d => d.FileName != Path.GetFileName(file)))
            .Where(file => File.ReadAllText(file).StartsWith(SystemdUnit.Header, StringComparison.Ordinal))
            .ToList();

    /// <summary>The content, owner-only (CIS 4.1.1: a service file 600 or more restrictive): a looser file is written again.</summary>
    private static async Task<bool> HoldsAsync(string path, string content, CancellationToken cancellationToken) =>
        File.Exists(path) && File.GetUnixFileMode(path) == AtomicFile.OwnerOnly
        && await File.ReadAllTextAsync(path, cancellationToken) == content;
}
