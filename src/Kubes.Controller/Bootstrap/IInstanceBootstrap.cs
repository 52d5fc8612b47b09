using Kubes.Controller.Topology;

namespace Kubes.Controller.Bootstrap;

/// <summary>Renders an instance's user-data at launch time: the bootstrap script with a fresh single-use join token.</summary>
public interface IInstanceBootstrap
{
    Task<string> UserDataAsync(InstanceSlot slot, CancellationToken cancellationToken);

    /// <summary>User-data shared by every instance an Auto Scaling group launches for <paramref name="role"/>.</summary>
    Task<string> GroupUserDataAsync(InstanceRole role, CancellationToken cancellationToken);

    /// <summary>
    /// Called once the cloud has named the instance launched with <paramref name="userData"/>: its join token is bound to
    /// that instance id, so no other instance (say, one tagged for the same slot by hand) can redeem it.
    /// </summary>
    Task LaunchedAsync(string userData, string instanceId, CancellationToken cancellationToken);
}
