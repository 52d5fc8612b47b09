using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Serilog;
using Serilog.Formatting.Compact;

namespace Kubes.Agent;

/// <summary>
/// Where the agent's log goes: standard output (journald under systemd, a terminal, a pipe), unless standard output
/// is a plain file — where systemd is not PID 1 the bootstrap's restart loop appends it to /var/log/kubes-agent.log,
/// which nothing would ever trim. Then the agent writes that file itself, rolled over at
/// <see cref="FileSizeLimitBytes"/> with <see cref="RetainedFiles"/> files kept (kubes-agent_001.log, ...).
/// </summary>
internal static partial class AgentLog
{
    public const long FileSizeLimitBytes = 8L * 1024 * 1024;
    public const int RetainedFiles = 4;

    public static LoggerConfiguration WriteTo(LoggerConfiguration configuration) =>
        PlainFileBehindStandardOutput() is { } file
            ? configuration.WriteTo.File(new CompactJsonFormatter(), file, fileSizeLimitBytes: FileSizeLimitBytes,
                rollOnFileSizeLimit: true, retainedFileCountLimit: RetainedFiles)
            : configuration.WriteTo.Console(new CompactJsonFormatter());

    /// <summary>The path of the regular file standard output appends to, or null when it is anything else.</summary>
    public static string? PlainFileBehindStandardOutput()
    {
        var buffer = new byte[256];
        if (Statx(1, "", AtEmptyPath, StatxType, buffer) != 0) return null;
        if ((BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(StatxModeOffset)) & TypeMask) != RegularFile) return null;
        try
        {
            var path = File.ResolveLinkTarget("/proc/self/fd/1", returnFinalTarget: false)?.FullName;
            return path is not null && File.Exists(path) ? path : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private const int AtEmptyPath = 0x1000;
    private const int StatxType = 0x1;
    private const int StatxModeOffset = 28;
    private const int TypeMask = 0xF000;
    private const int RegularFile = 0x8000;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, int mask, [Out] byte[] buffer);
}
