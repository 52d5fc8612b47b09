namespace Kubes.Controller.Operations.Serve;

/// <summary>What <c>kubes serve</c> tells the operator once it answers agents.</summary>
public interface IServeProgress
{
    Task ServingAsync(ServingCoordinator coordinator);

    /// <summary>A line the operator should read before serving starts (e.g. an artifact the cluster still misses).</summary>
    Task NoteAsync(string line);
}

/// <summary>Where the coordinator answers: its gRPC address, the mailbox, and what else it serves the instances.</summary>
public sealed record ServingCoordinator(string Cluster, Uri? Grpc, string Mailbox, string? InstanceServices);
