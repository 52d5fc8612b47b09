using System.Security.Cryptography;
using Kubes.Agent.FileSystem;
using Kubes.Agent.Steps;

namespace Kubes.Agent.Components.KubeApiServer;

/// <summary>
/// <c>service-account-key</c>: the controller's service-account signing key, RSA (tokens are RS256, which every consumer of
/// them accepts), made here and written owner-only. A key already there is kept: replacing it would invalidate every token
/// this controller signed.
/// </summary>
public sealed class ServiceAccountKeyStep(ServiceAccountKeyFiles files) : IInstallStep
{
    public string Name => "service-account-key";

    public string InputHash => FileHash.OfInputs(files.PrivateKeyFile, $"rsa-{KubeApiServerLayout.ServiceAccountKeyBits}");

    public Task<bool> IsDoneAsync(CancellationToken cancellationToken) =>
        Task.FromResult(files.ReadPublicKey() is not null && (File.GetUnixFileMode(files.PrivateKeyFile) & ~AtomicFile.OwnerOnly) == 0);

    public Task ApplyAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(files.PrivateKeyFile) && files.ReadPublicKey() is not null)
        {
            File.SetUnixFileMode(files.PrivateKeyFile, AtomicFile.OwnerOnly);
            return Task.CompletedTask;
        }

        using var rsa = RSA.Create(KubeApiServerLayout.ServiceAccountKeyBits);
        AtomicFile.WriteAllText(files.PrivateKeyFile, rsa.ExportPkcs8PrivateKeyPem() + "\n", AtomicFile.OwnerOnly);
        return Task.CompletedTask;
    }
}
