using Kubes.Controller.Status;

namespace Kubes.Controller.Operations.Up;

/// <summary>Where <c>kubes up</c> shows the agents' progress while it follows them.</summary>
public interface IAgentStatusView
{
    /// <summary>Called with every slot after each poll; shows what changed since the last call.</summary>
    Task ShowAsync(IReadOnlyList<SlotStatus> rows, DateTimeOffset now);

    /// <summary>A line is about to be written below the view: a view drawn in place steps aside, so the line stays above its
    /// next drawing.</summary>
    void PrepareForLine()
    {
    }
}
