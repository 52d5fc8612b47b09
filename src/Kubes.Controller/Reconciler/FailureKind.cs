namespace Kubes.Controller.Reconciler;

/// <summary>How a failed change is retried.</summary>
public enum FailureKind
{
    /// <summary>Another attempt fails the same way: report it.</summary>
    Permanent,

    /// <summary>Goes away within seconds (throttling, a just-created id not yet visible): a few quick attempts.</summary>
    Transient,

    /// <summary>Something the cloud is still letting go of holds the resource (a deleted load balancer's network
    /// interfaces keep its subnets for minutes, a terminating instance keeps its volume): retried for minutes.</summary>
    Releasing,
}
