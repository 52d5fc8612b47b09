using Amazon.SecurityToken.Model;
using Kubes.Controller.Aws;
using Kubes.Controller.Aws.Query;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Cli.Commands;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Coordinator;

/// <summary>
/// A cluster as one command works on it: its spec and topology, its state store and, on AWS, the clients and the
/// account. Opening one makes no change anywhere.
/// </summary>
public sealed class ClusterSession : IDisposable
{
    private ClusterSession(ClusterSpec spec, IStateStore store, string stateDescription, AwsCloudClients? aws,
        StateStoreLocation? s3, string? account)
    {
        Spec = spec;
        Topology = ClusterTopology.From(spec);
        Store = store;
        StateDescription = stateDescription;
        Aws = aws;
        S3 = s3;
        Account = account;
    }

    public ClusterSpec Spec { get; }
    public ClusterTopology Topology { get; }
    public IStateStore Store { get; }
    public string StateDescription { get; }
    public AwsCloudClients? Aws { get; }
    public StateStoreLocation? S3 { get; }
    public string? Account { get; }
    public bool IsLocal => Spec.Provider == ProviderKind.Local;

    /// <summary>The local provider's state folder, absolute.</summary>
    public string StateFolder => Path.GetFullPath(Spec.StateStore);

    /// <param name="environment">How AWS is reached; null reads the standard settings of this process.</param>
    public static async Task<ClusterSession> OpenAsync(ClusterSpec spec, IAwsCallObserver? observer, CancellationToken cancellationToken,
        AwsEnvironment? environment = null)
    {
        if (spec.Provider == ProviderKind.Local)
        {
            var folder = Path.GetFullPath(spec.StateStore);
            return new ClusterSession(spec, new FolderStateStore(folder), folder, null, null, null);
        }
        var aws = new AwsCloudClients(environment ?? AwsEnvironment.FromProcess(spec.Region), observer);
        try
        {
            var account = (await aws.Sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken)).Account;
            var location = PlanCommand.StateLocation(spec, account);
            var store = new S3StateStore(aws.S3, S3StateLocation.Parse(location.ToString()));
            return new ClusterSession(spec, store, location.ToString(), aws, location, account);
        }
        catch
        {
            aws.Dispose();
            throw;
        }
    }

    public void Dispose() => Aws?.Dispose();
}
