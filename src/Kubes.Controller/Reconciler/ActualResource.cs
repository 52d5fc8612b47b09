namespace Kubes.Controller.Reconciler;

/// <summary>A live resource found by its cluster tag. <see cref="Native"/> is the provider's own description of it.</summary>
public sealed record ActualResource(ResourceKey Key, string Id, object Native);
