using System.Text;

namespace Kubes.Agent.FileSystem;

/// <summary>
/// Writes a file so that a crash leaves either the old or the new content, never half of it, and never
/// lets the content exist with looser permissions than asked (the temporary file is created with the mode).
/// </summary>
public static class AtomicFile
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode Readable = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public const UnixFileMode Executable = Readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute |
                                           UnixFileMode.OtherExecute;

    public static void WriteAllText(string path, string content, UnixFileMode mode) =>
        WriteAllBytes(path, Encoding.UTF8.GetBytes(content), mode);

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Join(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, new FileStreamOptions
                   {
                       Mode = FileMode.CreateNew,
                       Access = FileAccess.Write,
                       UnixCreateMode = mode,
                   }))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            // The umask may have narrowed the create mode; the final mode is exactly the one asked for.
            File.SetUnixFileMode(temporary, mode);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Moves a finished file into place with its mode, replacing what was there.</summary>
    public static void Install(string source, string destination, UnixFileMode mode)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        var temporary = destination + $".{Guid.NewGuid():N}.tmp";
        try
        {
            File.Copy(source, temporary);
            File.SetUnixFileMode(temporary, mode);
            File.Move(temporary, destination, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
