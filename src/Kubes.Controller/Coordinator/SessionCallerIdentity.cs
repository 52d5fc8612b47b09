using Kubes.Controller.Aws.Query;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Registrar.CallerIdentity;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Coordinator;

/// <summary>The STS proof check of a session on AWS: its account, its node role, and the STS endpoint it calls itself.</summary>
public static class SessionCallerIdentity
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>Null for the local provider, which has no STS.</summary>
    public static CallerIdentityVerifier? For(ClusterSession session, TimeProvider? time = null) =>
        session.Aws is { } aws && session.Account is { } account
            ? new CallerIdentityVerifier(session.Spec.Name, account, AwsClusterModel.IamName(session.Spec.Name, InstanceRole.Node),
                new StsCallerIdentityReplay(Http, aws.Environment.EndpointFor(AwsService.Sts).Url), time)
            : null;
}
