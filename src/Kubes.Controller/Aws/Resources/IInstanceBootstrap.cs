using Kubes.Controller.Topology;

namespace Kubes.Controller.Aws.Resources;

/// <summary>Renders an instance's user-data at launch time: the bootstrap script with a fresh single-use join token.</summary>
public interface IInstanceBootstrap
{
    Task<string> UserDataAsync(InstanceSlot slot, CancellationToken cancellationToken);

    /// <summary>User-data shared by every instance an Auto Scaling group launches for <paramref name="role"/>.</summary>
    Task<string> GroupUserDataAsync(InstanceRole role, CancellationToken cancellationToken);
}
