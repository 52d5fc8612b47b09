namespace Kubes.Controller.Local;

/// <summary>
/// Gets an instance's metadata service answering before its process tree boots, and away after it is gone.
/// <see cref="LocalMetadataService"/> serves it in this process; <see cref="RemoteMetadataPublisher"/> leaves it to
/// the process that follows the registry (<c>kubes serve</c>) and waits until that one answers.
/// </summary>
public interface ILocalMetadataPublisher
{
    Task PublishAsync(LocalInstance instance, CancellationToken cancellationToken);

    Task WithdrawAsync(LocalInstance instance, CancellationToken cancellationToken);
}
