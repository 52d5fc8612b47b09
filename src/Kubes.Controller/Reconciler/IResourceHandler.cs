namespace Kubes.Controller.Reconciler;

/// <summary>
/// Knows one resource type: finds the live ones (in batches, by cluster tag), compares live with desired,
/// and creates, updates or deletes. The same handlers serve <c>plan</c> (find + diff only) and <c>up</c>.
/// </summary>
public interface IResourceHandler
{
    string Type { get; }

    /// <summary>Lower runs earlier in a destroy: instances before volumes, volumes before subnets, ….</summary>
    int DeleteOrder { get; }

    Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken cancellationToken);

    IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids);

    Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken cancellationToken);

    Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken cancellationToken);

    Task DeleteAsync(ActualResource actual, CancellationToken cancellationToken);
}
