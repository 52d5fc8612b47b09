using Kubes.Agent.FileSystem;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Pki;

/// <summary>
/// Makes each key once and keeps it: written 0600 before its CSR leaves, read back on every restart,
/// replaced only when the policy asks for another algorithm.
/// </summary>
public sealed class KeyStore(PkiFiles files, ILogger<KeyStore> log)
{
    public AgentKey GetOrCreate(CertificateRequestSpec spec)
    {
        var path = files.KeyPath(spec.FileStem);
        if (File.Exists(path))
        {
            var existing = AgentKey.FromPem(spec.KeyAlgorithm, File.ReadAllText(path));
            if (existing is not null)
            {
                return existing;
            }

            log.LogWarning("The key {Path} is not a {Algorithm} key: making a new one; its certificate will be requested again",
                path, spec.KeyAlgorithm);
        }

        var key = AgentKey.Generate(spec.KeyAlgorithm);
        AtomicFile.WriteAllText(path, key.ExportPem(), AtomicFile.OwnerOnly);
        log.LogInformation("Made a {Algorithm} key for {Identity} at {Path}", spec.KeyAlgorithm, spec.Identity, path);
        return key;
    }
}
