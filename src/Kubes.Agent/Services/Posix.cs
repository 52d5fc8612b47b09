using System.Globalization;
using System.Runtime.InteropServices;

namespace Kubes.Agent.Services;

/// <summary>The few libc calls and /proc reads the process supervisor needs that .NET does not offer (a polite SIGTERM).</summary>
internal static partial class Posix
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    /// <summary>Sends a signal; false when the process is gone.</summary>
    public static bool Kill(int pid, int signal) => KillNative(pid, signal) == 0;

    public static bool IsAlive(int pid) => Stat(pid) is { State: not 'Z' };

    /// <summary>Whether this very process (not another that reused its pid) still runs.</summary>
    public static bool IsAlive(ProcessIdentity process) =>
        Stat(process.Pid) is { State: not 'Z' } stat && stat.StartTicks == process.StartTicks;

    public static ProcessIdentity? Identify(int pid) => Stat(pid) is { } stat ? new ProcessIdentity(pid, stat.StartTicks) : null;

    /// <summary>The command line of a running process, as the words it was started with.</summary>
    public static IReadOnlyList<string>? CommandLine(int pid)
    {
        try
        {
            var raw = File.ReadAllText($"/proc/{pid}/cmdline");
            return raw.TrimEnd('\0').Split('\0');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Every running process below <paramref name="pid"/> (children, their children, ...), read from /proc now.</summary>
    public static IReadOnlyList<ProcessIdentity> Descendants(int pid)
    {
        var children = new Dictionary<int, List<(int Pid, long StartTicks)>>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var candidate)
                && Stat(candidate) is { State: not 'Z' } stat)
            {
                if (!children.TryGetValue(stat.ParentPid, out var list))
                {
                    children[stat.ParentPid] = list = [];
                }

                list.Add((candidate, stat.StartTicks));
            }
        }

        var found = new List<ProcessIdentity>();
        var pending = new Queue<int>([pid]);
        while (pending.TryDequeue(out var parent))
        {
            foreach (var (child, startTicks) in children.GetValueOrDefault(parent) ?? [])
            {
                found.Add(new ProcessIdentity(child, startTicks));
                pending.Enqueue(child);
            }
        }

        return found;
    }

    /// <summary>State, parent and start time from /proc/&lt;pid&gt;/stat (fields after the command name, which may hold spaces).</summary>
    private static (char State, int ParentPid, long StartTicks)? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[19], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException
                                      or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}

/// <summary>A process by its pid and its start time, so a reused pid is never mistaken for it.</summary>
internal readonly record struct ProcessIdentity(int Pid, long StartTicks);
