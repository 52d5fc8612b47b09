using System.Net;
using Kubes.Controller.Agents;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Providers;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;

namespace Kubes.Controller.Aws;

/// <summary>
/// The AWS provider, the product: a VPC across three zones, instances with their volumes and IAM profiles, the API
/// load balancer and the state bucket, found by tag; agents answered through the S3 mailbox in the state bucket.
/// </summary>
public sealed class AwsProvider : IClusterProvider
{
    /// <summary>Stands for the AWS account id in an offline plan of a spec that uses the default state bucket.</summary>
    public const string UnknownAccount = "ACCOUNT";

    public static AwsProvider Instance { get; } = new();

    private AwsProvider()
    {
    }

    public ProviderKind Kind => ProviderKind.Aws;

    /// <summary>Loopback: instances on AWS cannot reach the operator's machine; <c>kubes serve</c> sits behind a tunnel or proxy.</summary>
    public IPEndPoint DefaultCoordinatorListen(ClusterTopology topology) => new(IPAddress.Loopback, Ports.Coordinator);

    public IReadOnlyList<DesiredResource> OfflineResources(ClusterTopology topology) =>
        AwsClusterModel.Build(topology, StateStoreLocation.For(topology.Spec, UnknownAccount));

    /// <summary>The instances' images carry no .NET: only a Native AOT (or self-contained) agent runs there.</summary>
    public string? RefusalBeforeUp() => AgentBinary.RefusalForAws();

    public bool UpNeedsConsent => true;

    public async Task<IClusterSession> OpenAsync(ClusterSpec spec, ProviderOptions options, CancellationToken cancellationToken) =>
        await AwsClusterSession.OpenAsync(spec, options, cancellationToken);
}
