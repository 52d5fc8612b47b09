namespace Kubes.Controller.Tests.Pki.Support;

/// <summary>A fresh folder under the system temp folder, removed with everything in it on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"kubes-pki-{Guid.NewGuid():N}");

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        var path = Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
