using Kubes.Agent.FileSystem;
using Kubes.Protos.V1;

namespace Kubes.Agent.Pki;

/// <summary>
/// The keys made on this instance, one per certificate: read back to check the installed certificate against, and
/// written 0600 only with the certificate issued for them, so what a service reads is never a new key beside an old
/// certificate for longer than the two renames that install them.
/// </summary>
public sealed class KeyStore(PkiFiles files)
{
    /// <summary>The installed key, or null when there is none or it is not a key of the spec's algorithm.</summary>
    public AgentKey? Find(CertificateRequestSpec spec)
    {
        var path = files.KeyPath(spec.FileStem);
        return File.Exists(path) ? AgentKey.FromPem(spec.KeyAlgorithm, File.ReadAllText(path)) : null;
    }

    public void Install(CertificateRequestSpec spec, AgentKey key) =>
        AtomicFile.WriteAllText(files.KeyPath(spec.FileStem), key.ExportPem(), AtomicFile.OwnerOnly);
}
