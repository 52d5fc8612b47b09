using Kubes.Controller.Operations.Up;

namespace Kubes.Controller.Cli.Rendering;

/// <summary>Picks how <c>kubes up</c> shows the agents: a live table at a terminal, changed lines anywhere else.</summary>
public static class AgentStatusViews
{
    public static IAgentStatusView For(TextWriter output) =>
        IsInteractiveTerminal(output)
            ? new LiveTableStatusView(output, Math.Max(Console.WindowWidth, 40), Math.Max(Console.WindowHeight, 5))
            : new ChangedLinesStatusView(output);

    private static bool IsInteractiveTerminal(TextWriter output) =>
        ReferenceEquals(output, Console.Out)
        && !Console.IsOutputRedirected
        && Environment.GetEnvironmentVariable("TERM") is { Length: > 0 } term && term != "dumb";
}
