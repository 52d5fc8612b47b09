using System.Text;
using Kubes.Controller.State;

namespace Kubes.Controller.Pki.Vpn;

/// <summary>
/// The cluster's tls-crypt key in its state store (<c>vpn/tls-crypt.key</c>), made by the first coordinator that needs it.
/// Kept beside the mailbox whose answers carry it to the bastion, in the same private, encrypted bucket (a folder of this
/// machine for the local provider); every profile holds a copy, so it is not sealed like the CA keys are.
/// </summary>
public sealed class TlsCryptKeyStore(IStateStore store)
{
    public const string Key = "vpn/tls-crypt.key";

    public async Task<string> LoadOrCreateAsync(CancellationToken cancellationToken)
    {
        if (await store.GetAsync(Key, cancellationToken) is null)
            await store.PutIfAbsentAsync(Key, Encoding.ASCII.GetBytes(TlsCryptKey.Generate()), cancellationToken);
        var stored = await store.GetAsync(Key, cancellationToken)
                     ?? throw new StateStoreException($"{store.Location}/{Key} vanished while it was written");
        var text = Encoding.ASCII.GetString(stored.Content);
        return TlsCryptKey.IsValid(text)
            ? text
            : throw new StateStoreException(
                $"{store.Location}/{Key} is not an OpenVPN static key: restore it from the bucket's versions, or delete it to make "
                + "a new one (every VPN profile must then be made again)");
    }
}
