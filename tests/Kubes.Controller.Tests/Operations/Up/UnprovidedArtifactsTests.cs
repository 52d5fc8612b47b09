using Google.Protobuf.WellKnownTypes;
using Kubes.Controller.Artifacts;
using Kubes.Controller.Registrar;
using Kubes.Controller.Operations.Up;
using Kubes.Controller.Spec;
using Kubes.Controller.Status;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Controller.Tests.Operations.Up;

/// <summary>A controller that failed for want of kube-apiserver settles <c>up</c> with an error naming what to provide.</summary>
public sealed class UnprovidedArtifactsTests
{
    private static readonly ClusterTopology Topology = ClusterTopology.From(ClusterSpecDefaults.Local());

    private static UnprovidedArtifacts Lacking(params string[] names) => UnprovidedArtifacts.Of(Topology,
        PinnedArtifacts.None("1.36.3", "amd64") with
        {
            Missing = [.. names.Select(name => new ArtifactShortfall(name, "1.36.3", "amd64", "not pinned", ArtifactShortfall.ProvideSteps))],
        });

    private static IReadOnlyList<SlotStatus> Rows(Phase controllers) => SlotStatus.For(Topology, Topology.Slots.Select(slot => new AgentStatus
    {
        InstanceId = $"i-{slot.Name}", Name = slot.Name, Role = ProtoRoles.ToProto(slot.Role), PrivateIp = slot.PrivateIp?.ToString() ?? "",
        LastReport = new AgentReport
        {
            Phase = slot.Role == InstanceRole.Controller ? controllers : Phase.Ready,
            At = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        },
    }));

    [Fact]
    public void Only_the_roles_whose_components_need_a_missing_file_are_held()
    {
        var unprovided = Lacking(ArtifactNames.KubeApiServer, ArtifactNames.KubeScheduler, ArtifactNames.Kubectl);

        Assert.Equal([InstanceRole.Controller.TagValue()], unprovided.ByRole.Keys);
        Assert.Equal([ArtifactNames.KubeApiServer, ArtifactNames.KubeScheduler], unprovided.ByRole[InstanceRole.Controller.TagValue()]);
    }

    [Fact]
    public void Failed_controllers_that_lack_their_programs_settle_up_with_one_error_line()
    {
        var unprovided = Lacking(ArtifactNames.KubeApiServer);
        var rows = Rows(Phase.Failed);

        Assert.True(AgentWaiter.IsSettled(rows, unprovided));
        Assert.False(AgentWaiter.IsSettled(rows, UnprovidedArtifacts.None));
        var line = Assert.Single(unprovided.ErrorLines(rows));
        Assert.Equal("error: the controller slots cannot start without kube-apiserver: provide them with 'kubes artifacts import DIR' " +
                     "(or 'kubes artifacts mirror' on a machine with network; each 'missing:' line above says more), then run 'kubes up' again.",
            line);
    }

    [Fact]
    public void Controllers_still_installing_or_ready_are_not_held()
    {
        var unprovided = Lacking(ArtifactNames.KubeApiServer);

        Assert.False(AgentWaiter.IsSettled(Rows(Phase.Installing), unprovided));
        Assert.Empty(unprovided.ErrorLines(Rows(Phase.Installing)));
        Assert.Empty(unprovided.ErrorLines(Rows(Phase.Ready)));
        Assert.True(AgentWaiter.IsSettled(Rows(Phase.Ready), unprovided));
    }
}
