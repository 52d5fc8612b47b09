using Kubes.Controller.Aws;
using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Providers;

/// <summary>How a command opens its cluster: what it knows that the spec does not say.</summary>
public sealed record ProviderOptions
{
    /// <summary>How AWS is reached; null reads the standard settings of this process (the SDK chain, AWS_REGION, ...).</summary>
    public AwsEnvironment? AwsEnvironment { get; init; }

    /// <summary>Told of every AWS call the session makes.</summary>
    public IAwsCallObserver? AwsCalls { get; init; }

    /// <summary>
    /// The spec file the command read, absolute, or null for the embedded local default: a coordinator process the
    /// provider starts on its own reads the very same spec.
    /// </summary>
    public string? SpecFile { get; init; }
}
