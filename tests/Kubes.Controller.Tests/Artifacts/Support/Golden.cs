using System.Runtime.CompilerServices;

namespace Kubes.Controller.Tests.Artifacts.Support;

/// <summary>Compares text with a checked-in file under golden/ beside the test; KUBES_UPDATE_GOLDEN=1 rewrites it for review.</summary>
internal static class Golden
{
    public static void AssertMatches(string name, string actual, [CallerFilePath] string testFile = "")
    {
        var path = Path.Join(Path.GetDirectoryName(testFile)!, "golden", name);
        if (Environment.GetEnvironmentVariable("KUBES_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
        }
        Assert.True(File.Exists(path), $"golden file {path} is missing: run the test with KUBES_UPDATE_GOLDEN=1 and review it");
        Assert.Equal(File.ReadAllText(path), actual);
    }
}
