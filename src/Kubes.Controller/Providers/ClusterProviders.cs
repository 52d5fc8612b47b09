using Kubes.Controller.Aws;
using Kubes.Controller.Local;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Providers;

/// <summary>Every provider Kubes has, by the spec's <c>provider</c>: the one place a provider is registered.</summary>
public static class ClusterProviders
{
    public static IClusterProvider For(ProviderKind kind) => kind switch
    {
        ProviderKind.Aws => AwsProvider.Instance,
        ProviderKind.Local => LocalProvider.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no provider of this kind"),
    };

    /// <summary>Opens the cluster of <paramref name="spec"/> at its provider.</summary>
    public static Task<IClusterSession> OpenAsync(ClusterSpec spec, ProviderOptions? options, CancellationToken cancellationToken) =>
        For(spec.Provider).OpenAsync(spec, options ?? new ProviderOptions(), cancellationToken);
}
