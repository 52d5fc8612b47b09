namespace Kubes.Controller.Coordinator;

/// <summary>The kubes-agent file the coordinator hands to instances: published beside kubes, in agent/.</summary>
public static class AgentBinary
{
    public const string FileName = "kubes-agent";
    public const string OverrideVariable = "KUBES_AGENT_BINARY";

    public static string Locate(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var path = environment(OverrideVariable) is { Length: > 0 } given
            ? given
            : Path.Combine(AppContext.BaseDirectory, "agent", FileName);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"kubes-agent is not at {path}. Build kubes with 'dotnet build' (it publishes the agent beside itself), " +
                $"or point {OverrideVariable} at a published kubes-agent.", path);
    }
}
