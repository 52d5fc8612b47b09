using System.Security.Cryptography;
using Kubes.Controller.Components.KubeApiServer;
using Kubes.Controller.Pki;
using Kubes.Controller.Pki.Store;
using Kubes.Controller.Session;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Pki.Support;
using TempFolder = Kubes.Controller.Tests.State.TempFolder;

namespace Kubes.Controller.Tests.Session;

/// <summary>
/// The material a coordinator hands the control plane: the Secret encryption keys made at load, and what changes while it
/// runs — a controller's new service-account key, a rotated encryption key — read again from the state store.
/// </summary>
public sealed class ClusterMaterialSourceTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FolderStateStore _store;
    private readonly ClusterPki _pki = ClusterPki.Create(TestClusters.Local());

    public ClusterMaterialSourceTests() => _store = new FolderStateStore(_folder.Path);

    [Fact]
    public async Task A_new_cluster_gets_one_encryption_key_and_no_service_account_key_yet()
    {
        var material = (await ClusterMaterialSource.LoadAsync(_store, _pki, CancellationToken.None)).Current;

        Assert.Single(material.SecretEncryptionKeys);
        Assert.Empty(material.ServiceAccountPublicKeys);
    }

    [Fact]
    public async Task A_controllers_key_and_a_rotated_encryption_key_are_read_again()
    {
        var source = await ClusterMaterialSource.LoadAsync(_store, _pki, CancellationToken.None);
        var before = source.Current;
        using var key = RSA.Create(2048);
        await new ServiceAccountPublicKeys(_store).RecordAsync("controller-1", key.ExportSubjectPublicKeyInfoPem(), CancellationToken.None);
        var passphrase = await new ClusterPkiRepository(_store).PassphraseAsync(CancellationToken.None);
        var rotated = await new SecretEncryptionKeyStore(_store, passphrase).AddAsync(CancellationToken.None);

        await source.RefreshAsync(CancellationToken.None);

        Assert.Equal(key.ExportSubjectPublicKeyInfoPem(), source.Current.ServiceAccountPublicKeys["controller-1"]);
        Assert.Equal(rotated, source.Current.SecretEncryptionKeys);
        Assert.Equal(before.SecretEncryptionKeys[0], source.Current.SecretEncryptionKeys[0]);
        Assert.NotEqual(before, source.Current);
    }

    public void Dispose()
    {
        _pki.Dispose();
        _folder.Dispose();
    }
}
