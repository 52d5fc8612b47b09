using System.Runtime.CompilerServices;

namespace Kubes.Agent.Tests.Support;

/// <summary>
/// Compares rendered bytes with a checked-in file under golden/ beside the test, so a reviewer sees exactly
/// what reaches an instance. KUBES_UPDATE_GOLDEN=1 rewrites the file instead.
/// </summary>
public static class Golden
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
