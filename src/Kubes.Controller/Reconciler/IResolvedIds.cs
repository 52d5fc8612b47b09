namespace Kubes.Controller.Reconciler;

/// <summary>Cloud ids of resources that exist (found live or just created), by key.</summary>
public interface IResolvedIds
{
    bool TryGet(ResourceKey key, out string id);

    /// <summary>The id of a dependency; the executor guarantees dependencies exist before a dependent is applied.</summary>
    string Require(ResourceKey key) =>
        TryGet(key, out var id) ? id : throw new InvalidOperationException($"{key} does not exist yet");
}
