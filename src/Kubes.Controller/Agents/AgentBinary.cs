using Kubes.Protos.Contract;
namespace Kubes.Controller.Agents;

/// <summary>The kubes-agent file the coordinator hands to instances: published beside kubes, in agent/.</summary>
public static class AgentBinary
{
    public const string FileName = ArtifactNames.Agent;
    public const string OverrideVariable = "KUBES_AGENT_BINARY";

    public const string ReleaseCommand =
        "dotnet publish src/Kubes.Controller -c Release -r linux-x64 --self-contained -p:PublishSingleFile=true -o out";

    public static string Locate(Func<string, string?>? environment = null)
    {
        var path = PathOf(environment ?? Environment.GetEnvironmentVariable);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException(
                $"kubes-agent is not at {path}. Build kubes with 'dotnet build' (it publishes the agent beside itself), " +
                $"or point {OverrideVariable} at a published kubes-agent.", path);
    }

    /// <summary>
    /// Why the agent beside kubes cannot go to AWS instances, whose images carry no .NET: 'dotnet build' puts a
    /// framework-dependent agent there (right for the local provider), only 'dotnet publish' the Native AOT one.
    /// Null when it can, or when <see cref="OverrideVariable"/> names the binary: the operator chose it.
    /// </summary>
    public static string? RefusalForAws(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (environment(OverrideVariable) is { Length: > 0 }) return null;
        var path = PathOf(environment);
        if (!File.Exists(path)) return Refusal(path, "missing");
        var agent = AgentExecutable.Inspect(path);
        return agent.RunsWithoutDotNet ? null : Refusal(path, agent.Description);
    }

    private static string Refusal(string path, string what) =>
        $"the agent for AWS instances, {path}, is {what}; the instances have no .NET. Publish kubes with '{ReleaseCommand}' " +
        $"(it puts the Native AOT agent in out/agent/; needs clang, lld and zlib1g-dev) and run out/kubes, " +
        $"or point {OverrideVariable} at a Native AOT kubes-agent.";

    private static string PathOf(Func<string, string?> environment) =>
        environment(OverrideVariable) is { Length: > 0 } given ? given : Path.Combine(AppContext.BaseDirectory, "agent", FileName);
}
