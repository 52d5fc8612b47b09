using System.Net;
using Amazon.SecurityToken.Model;
using Kubes.Controller.Aws.Handlers;
using Kubes.Controller.Aws.Query;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Bootstrap;
using Kubes.Controller.Channels;
using Kubes.Controller.Artifacts;
using Kubes.Controller.Operations.Access;
using Kubes.Controller.Providers;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Registrar;
using Kubes.Controller.Registrar.CallerIdentity;
using Kubes.Controller.Session;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;
using Microsoft.Extensions.Logging;

namespace Kubes.Controller.Aws;

/// <summary>
/// A cluster on AWS, as one command works on it: the clients, the account they act in, and the state bucket of the
/// cluster in that account. Its instances download from the bucket through presigned URLs and reach the coordinator
/// through the mailbox in it; nodes of an Auto Scaling group prove who they are to STS.
/// </summary>
public sealed class AwsClusterSession : IClusterSession
{
    /// <summary>Presigned URLs in user-data must outlive a slow boot; instances that miss it are relaunched by 'up'.</summary>
    public static readonly TimeSpan AgentUrlLifetime = TimeSpan.FromHours(6);

    private static readonly HttpClient StsHttp = new() { Timeout = TimeSpan.FromSeconds(20) };

    private readonly S3StateLocation _bucket;

    private AwsClusterSession(ClusterTopology topology, AwsCloudClients clients, string account, StateStoreLocation state)
    {
        Topology = topology;
        Clients = clients;
        Account = account;
        StateLocation = state;
        _bucket = S3StateLocation.Parse(state.ToString());
        Store = new S3StateStore(clients.S3, _bucket);
        Directory = new Ec2InstanceDirectory(clients.Ec2);
        ArtifactUrls = new S3ArtifactUrls(clients.S3, _bucket, AgentUrlLifetime);
        CallerIdentity = new CallerIdentityVerifier(topology.Spec.Name, account,
            AwsClusterModel.IamName(topology.Spec.Name, InstanceRole.Node),
            new StsCallerIdentityReplay(StsHttp, clients.Environment.EndpointFor(AwsService.Sts).Url));
    }

    /// <summary>Learns the account (one STS call) and so the state bucket; nothing is changed.</summary>
    public static async Task<AwsClusterSession> OpenAsync(ClusterSpec spec, ProviderOptions options, CancellationToken cancellationToken)
    {
        var clients = new AwsCloudClients(options.AwsEnvironment ?? AwsEnvironment.FromProcess(spec.Region), options.AwsCalls);
        try
        {
            var account = (await clients.Sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken)).Account;
            return new AwsClusterSession(ClusterTopology.From(spec), clients, account, StateStoreLocation.For(spec, account));
        }
        catch
        {
            clients.Dispose();
            throw;
        }
    }

    public IClusterProvider Provider => AwsProvider.Instance;
    public ClusterTopology Topology { get; }
    public AwsCloudClients Clients { get; }
    public string Account { get; }

    /// <summary>The state bucket (and prefix), itself one of the cluster's resources.</summary>
    public StateStoreLocation StateLocation { get; }

    public IStateStore Store { get; }
    public string StateDescription => StateLocation.ToString();
    public string Where => $"in {Topology.Spec.Region}";

    public IReadOnlyList<DesiredResource> DesiredResources() => AwsClusterModel.Build(Topology, StateLocation);

    /// <summary>Without launches the image is never asked for: the plan compares instances by slot, type and address.</summary>
    public IReadOnlyList<IResourceHandler> Handlers(InstanceLaunches? launches) =>
        AwsHandlers.For(Clients, Topology.Spec.Name, StateLocation, launches?.Image ?? "", launches?.Bootstrap ?? NoLaunchBootstrap.Instance);

    public FailureKind Classify(Exception error) => AwsTransientErrors.Classify(error);

    public IInstanceDirectory Directory { get; }
    public IArtifactUrls ArtifactUrls { get; }

    /// <summary>No: AWS clusters take the upstream releases, or the ones an operator imported into the mirror.</summary>
    public bool UsesHostPackages => false;

    public IPEndPoint DefaultCoordinatorListen => Provider.DefaultCoordinatorListen(Topology);

    /// <summary>The network load balancer's DNS name, found like <c>up</c> finds it (its name, then its cluster tag).</summary>
    public async Task<ApiEndpoint> ApiEndpointAsync(CancellationToken cancellationToken)
    {
        var name = Topology.Spec.Name;
        var loadBalancer = await new LoadBalancerInventory(Clients.LoadBalancing, name).LoadBalancerAsync(cancellationToken);
        if (loadBalancer is not { DnsName.Length: > 0 })
            throw new AccessException(
                $"cluster {name} has no API load balancer ({AwsClusterModel.LoadBalancerName(name)}) in {Topology.Spec.Region}: " +
                "run 'kubes up' (same -f) first");
        // DNS is case-blind; certificates name hosts in lower case.
        return new ApiEndpoint(loadBalancer.DnsName.ToLowerInvariant(), Ports.KubeApiServer);
    }

    /// <summary>
    /// The image is resolved once per run; the user-data is rendered at each launch, once the state bucket — created by
    /// the same run — holds the CAs and the agent. Instances reach the coordinator through the mailbox.
    /// </summary>
    public async Task<InstanceLaunches> PrepareLaunchesAsync(CoordinatorState state, CancellationToken cancellationToken)
    {
        var image = await AwsImageResolver.ResolveAsync(Clients.Ec2, Topology.Spec, cancellationToken);
        var bootstrap = new DeferredBootstrap(async ct =>
        {
            var loaded = await state.GetAsync(ct);
            return new AgentBootstrap(Topology, state.Tokens, loaded.Agent, ArtifactUrls,
                CoordinatorEndpoint.For("", loaded.Pki.Kubernetes.Certificate), Mailbox(), AgentBootstrap.DefaultTokenLifetime,
                sts: StsProof());
        });
        return new InstanceLaunches(bootstrap, image, Coordinator: null);
    }

    public CallerIdentityVerifier? CallerIdentity { get; }

    /// <summary>This process answers them through the mailbox for as long as it follows them.</summary>
    public async Task<IAgentStatusSource> AnswerAgentsAsync(CoordinatorState state, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var options = await state.RegistrarOptionsAsync(Directory, ArtifactUrls, CallerIdentity, loggers, cancellationToken);
        var host = await RegistrarHost.StartAsync(options, cancellationToken);
        return new HostedRegistrar(host, $"answered through the mailbox in {StateDescription}", TimeSpan.FromSeconds(1));
    }

    public string? InstanceServices => null;

    public Task ServeInstancesAsync(ILoggerFactory loggers, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Nothing: the state bucket is a resource the handlers found and deleted by its tag.</summary>
    public Task RemoveLeftoversAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => Clients.Dispose();

    private StsProofEndpoint StsProof()
    {
        var endpoint = Clients.Environment.EndpointFor(AwsService.Sts);
        return new StsProofEndpoint(endpoint.Url.ToString(), endpoint.SigningRegion);
    }

    private MailboxEndpoint Mailbox()
    {
        var endpoint = Clients.Environment.EndpointFor(AwsService.S3);
        return new MailboxEndpoint(_bucket.Bucket, _bucket.Prefix.TrimEnd('/'), Clients.Environment.Region,
            endpoint.IsConfigured ? endpoint.Url.ToString() : "");
    }
}
