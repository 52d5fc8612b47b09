using System.Runtime.InteropServices;

namespace Kubes.Agent.Services;

/// <summary>The few libc calls the process supervisor needs that .NET does not offer (a polite SIGTERM).</summary>
internal static partial class Posix
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    /// <summary>Sends a signal; false when the process is gone.</summary>
    public static bool Kill(int pid, int signal) => KillNative(pid, signal) == 0;

    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !IsZombie(pid);

    /// <summary>The command line of a running process, as the words it was started with.</summary>
    public static IReadOnlyList<string>? CommandLine(int pid)
    {
        try
        {
            var raw = File.ReadAllText($"/proc/{pid}/cmdline");
            return raw.TrimEnd('\0').Split('\0');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var afterName = stat.LastIndexOf(')');
            return afterName > 0 && stat.Length > afterName + 2 && stat[afterName + 2] == 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
