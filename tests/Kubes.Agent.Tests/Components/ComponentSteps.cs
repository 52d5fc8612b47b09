using Kubes.Agent.Artifacts;
using Kubes.Agent.Configuration;
using Kubes.Agent.Processes;
using Kubes.Agent.Services;
using Kubes.Agent.Steps;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Agent.Tests.Components;

/// <summary>The step factory a component gets, over a root folder, with this machine's commands and the agent's own supervisor.</summary>
internal static class ComponentSteps
{
    public static StepFactory For(AgentPaths paths) =>
        new(paths, new ArtifactFetcher(new HttpClient(), NullLogger<ArtifactFetcher>.Instance),
            new ProcessServiceManager(paths, new CommandRunner(), NullLogger<ProcessServiceManager>.Instance),
            new CommandRunner(), DataVolumeTiming.Default, NullLoggerFactory.Instance);
}
