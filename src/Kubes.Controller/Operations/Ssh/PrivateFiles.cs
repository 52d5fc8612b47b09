namespace Kubes.Controller.Operations.Ssh;

/// <summary>Files of the operator's machine written whole and with their mode from the start (a key is never readable by others, not even for a moment).</summary>
public static class PrivateFiles
{
    public static void Write(string path, string content, UnixFileMode mode)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, new FileStreamOptions
                   {
                       Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode,
                   }))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(content);
            }
            File.SetUnixFileMode(temporary, mode);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
