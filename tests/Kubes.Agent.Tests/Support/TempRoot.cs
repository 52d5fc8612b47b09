namespace Kubes.Agent.Tests.Support;

/// <summary>A fresh folder for one test, removed afterwards (an instance's root folder, a download cache).</summary>
public sealed class TempRoot : IDisposable
{
    public TempRoot(string prefix = "kubes-agent-test-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    public string Join(params string[] parts) => System.IO.Path.Join([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
