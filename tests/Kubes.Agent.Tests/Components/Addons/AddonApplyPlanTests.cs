using Kubes.Agent.Components.Addons;
using Kubes.Protos.V1;
using static Kubes.Agent.Tests.Components.Addons.AddonConfigs;

namespace Kubes.Agent.Tests.Components.Addons;

public sealed class AddonApplyPlanTests
{
    private static AppliedRecord RecordOf(params AddonObject[] objects) => new()
    {
        Set = AddonHashes.OfSet(objects),
        By = "controller-1",
        Objects = objects.ToDictionary(o => o.Path, o => AddonHashes.OfObject(o.Json)),
    };

    [Fact]
    public void With_no_record_every_object_is_applied_in_order()
    {
        var plan = AddonApplyPlan.Between([A, B, C], AppliedRecord.Empty);

        Assert.Equal([A, B, C], plan.ToApply);
        Assert.Empty(plan.ToDelete);
    }

    [Fact]
    public void An_unchanged_set_plans_nothing() =>
        Assert.True(AddonApplyPlan.Between([A, B, C], RecordOf(A, B, C)).IsEmpty);

    [Fact]
    public void Only_changed_and_new_objects_are_applied()
    {
        var changed = ConfigMap("b", "2");
        var added = ConfigMap("d");

        var plan = AddonApplyPlan.Between([A, changed, C, added], RecordOf(A, B, C));

        Assert.Equal([changed, added], plan.ToApply);
        Assert.Empty(plan.ToDelete);
    }

    [Fact]
    public void Recorded_objects_the_set_dropped_are_deleted_last_recorded_first()
    {
        var plan = AddonApplyPlan.Between([A], RecordOf(A, B, C));

        Assert.Empty(plan.ToApply);
        Assert.Equal([C.Path, B.Path], plan.ToDelete);
    }
}
