using System.Collections.Concurrent;
using Kubes.Controller.DesiredState;

namespace Kubes.Controller.Registrar;

/// <summary>
/// Role configurations, and the certificate identities they entitle to, from the desired state in the state store, so that
/// every coordinator process answers and signs alike whatever spec file it was started with: an instance gets the generation its slot is assigned
/// (<see cref="SlotAssignments"/>); a slot without one is on the newest generation, and is assigned it at its first
/// join. Where no generation was ever recorded, <c>fallback</c> answers. Assignments are read again once they are older
/// than <c>assignmentsTtl</c>, so a report's answer costs no read of the store most of the time.
/// </summary>
public sealed class AssignedRoleConfigSource(
    SpecGenerationStore generations,
    SlotAssignments assignments,
    GenerationRoleConfigs configs,
    IRoleConfigSource fallback,
    TimeProvider time,
    TimeSpan assignmentsTtl) : IRoleConfigSource
{
    private readonly ConcurrentDictionary<string, (int? Generation, DateTimeOffset ReadAt)> _assigned = new(StringComparer.Ordinal);

    public async Task<DesiredRole> ForAsync(VerifiedInstance instance, CancellationToken cancellationToken) =>
        await GenerationOfAsync(instance, cancellationToken) is { } generation
            ? configs.For(generation, instance)
            : await fallback.ForAsync(instance, cancellationToken);

    public async Task<string> DesiredConfigHashAsync(VerifiedInstance instance, CancellationToken cancellationToken)
    {
        if (await GenerationOfAsync(instance, cancellationToken) is not { } generation)
            return await fallback.DesiredConfigHashAsync(instance, cancellationToken);
        return configs.HashFor(generation, instance);
    }

    public async Task FirstJoinAsync(VerifiedInstance instance, CancellationToken cancellationToken)
    {
        if (await generations.NewestNumberAsync(cancellationToken) is not { } newest) return;
        var assigned = await assignments.AssignIfAbsentAsync(instance.Name, newest, cancellationToken);
        _assigned[instance.Name] = (assigned, time.GetUtcNow());
    }

    private async Task<SpecGeneration?> GenerationOfAsync(VerifiedInstance instance, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        int? number;
        if (_assigned.TryGetValue(instance.Name, out var known) && now - known.ReadAt < assignmentsTtl)
        {
            number = known.Generation;
        }
        else
        {
            number = await assignments.GetAsync(instance.Name, cancellationToken);
            if (number is not null) _assigned[instance.Name] = (number, now);
        }
        number ??= await generations.NewestNumberAsync(cancellationToken);
        return number is { } n ? await generations.GetAsync(n, cancellationToken) : null;
    }
}
