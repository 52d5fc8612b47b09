using Amazon.Runtime;
using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Aws.Handlers;

/// <summary>Wraps a handler so that a permission refusal names the action, the cluster resource it was for, and what to grant.</summary>
internal sealed class PermissionReportingHandler(IResourceHandler inner) : IResourceHandler
{
    public string Type => inner.Type;
    public int DeleteOrder => inner.DeleteOrder;

    public Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken cancellationToken) =>
        Reporting($"the cluster's {Type} resources", () => inner.FindAsync(cancellationToken));

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids) =>
        inner.Diff(desired, actual, ids);

    public Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken cancellationToken) =>
        Reporting(desired.Key.ToString(), () => inner.CreateAsync(desired, ids, cancellationToken));

    public Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken cancellationToken) =>
        Reporting($"{actual.Key} ({actual.Id})", async () =>
        {
            await inner.UpdateAsync(desired, actual, changes, ids, cancellationToken);
            return true;
        });

    public Task DeleteAsync(ActualResource actual, CancellationToken cancellationToken) =>
        Reporting($"{actual.Key} ({actual.Id})", async () =>
        {
            await inner.DeleteAsync(actual, cancellationToken);
            return true;
        });

    private static async Task<T> Reporting<T>(string resource, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (AmazonServiceException e) when (AwsAccessDenied.Is(e))
        {
            throw AwsAccessDenied.Describe(e, resource);
        }
    }
}
