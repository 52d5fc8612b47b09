using System.Runtime.InteropServices;
using System.Text;

namespace Kubes.Controller.Local;

/// <summary>One line of the process table: who a process is and whose session and parent it has.</summary>
internal readonly record struct ProcessEntry(int Pid, int ParentPid, int SessionId, char State, ulong StartTicks)
{
    /// <summary>Z (zombie) and X (dead) have exited: they only wait to be reaped.</summary>
    public bool HasExited => State is 'Z' or 'X';
}

/// <summary>
/// Reads Linux's /proc: the process table, one process's environment, and signals. The local provider
/// needs nothing more to find and stop the process tree of an instance.
/// </summary>
internal static class ProcessTable
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    public static ProcessEntry? Read(int pid)
    {
        try
        {
            return Parse(pid, File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Every process that has not exited.</summary>
    public static IReadOnlyList<ProcessEntry> Running()
    {
        var entries = new List<ProcessEntry>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), out var pid) && Read(pid) is { HasExited: false } entry)
                entries.Add(entry);
        }
        return entries;
    }

    /// <summary>Whether the process was started with <paramref name="name"/>=<paramref name="value"/> in its environment.</summary>
    public static bool HasVariable(int pid, string name, string value)
    {
        byte[] environ;
        try
        {
            environ = File.ReadAllBytes($"/proc/{pid}/environ");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        var wanted = Encoding.UTF8.GetBytes($"{name}={value}");
        ReadOnlySpan<byte> entries = environ;
        foreach (var range in entries.Split((byte)0))
        {
            if (entries[range].SequenceEqual(wanted)) return true;
        }
        return false;
    }

    /// <summary>Sends a signal; false when there is no such process (any more).</summary>
    public static bool Signal(int pid, int signal) => Kill(pid, signal) == 0;

    /// <summary>The fields after the command name, which may itself hold spaces and parentheses.</summary>
    internal static ProcessEntry? Parse(int pid, string stat)
    {
        var close = stat.LastIndexOf(')');
        if (close < 0 || close + 2 >= stat.Length) return null;
        var fields = stat[(close + 2)..].Split(' ');
        // state(3) ppid(4) pgrp(5) session(6) … starttime(22), numbered as in proc(5).
        if (fields.Length < 20
            || !int.TryParse(fields[1], out var parent)
            || !int.TryParse(fields[3], out var session)
            || !ulong.TryParse(fields[19], out var started))
            return null;
        return new ProcessEntry(pid, parent, session, fields[0][0], started);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
