using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Pki;
using Kubes.Controller.Pki.Store;

namespace Kubes.Controller.Cli.Commands;

/// <summary><c>kubes pki init</c> creates the cluster's CAs offline; <c>kubes pki show</c> lists them.</summary>
public static class PkiCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var pki = new Command("pki", "The cluster's certificate authorities and service-account signing key.");
        pki.Subcommands.Add(Init(stdout, stderr, environment));
        pki.Subcommands.Add(Show(stdout, stderr));
        return pki;
    }

    private static Command Init(TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        var outOption = new Option<string>("--out")
        {
            Description = "New or empty folder to write the CAs to (private keys encrypted).",
            Required = true,
        };
        var fileOption = CommonOptions.File();
        var localOption = CommonOptions.Local();
        var passphraseOption = new Option<string>("--passphrase-file")
        {
            Description = $"File whose first line encrypts the private keys (else ${CaPassphrase.EnvironmentVariable}).",
        };
        var command = new Command("init", "Create the etcd, Kubernetes and front-proxy CAs and the service-account key pair.")
        {
            outOption, fileOption, localOption, passphraseOption,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            // The cluster's name and key algorithm come from the spec, checked like every other command checks it.
            var spec = await SpecFile.ResolveAsync(result, fileOption, localOption, stderr);
            if (spec is null) return ExitCodes.BadInput;
            CaPassphrase passphrase;
            try
            {
                passphrase = PassphraseFrom(result.GetValue(passphraseOption), environment);
            }
            catch (ArgumentException e)
            {
                await stderr.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.BadInput;
            }

            var folder = Path.GetFullPath(result.GetRequiredValue(outOption));
            if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            {
                await stderr.WriteLineAsync(
                    $"error: {folder} is not empty; 'kubes pki init' never writes over an existing folder, so that no "
                    + "CA is lost. Give --out a new folder.");
                return ExitCodes.BadInput;
            }

            using var clusterPki = ClusterPki.Create(spec);
            IReadOnlyList<string> written;
            try
            {
                written = await new FolderCaKeyStore(folder, passphrase).SaveAsync(clusterPki, cancellationToken);
            }
            catch (PkiStoreException e)
            {
                await stderr.WriteLineAsync($"error: {e.Message}");
                return ExitCodes.Failure;
            }

            await stdout.WriteLineAsync(
                $"Created the PKI of cluster {spec.Name} in {folder} ({clusterPki.Kubernetes.KeyDescription}, "
                + $"CAs valid until {clusterPki.Kubernetes.NotAfter:yyyy-MM-dd}):");
            foreach (var path in written.Order(StringComparer.Ordinal))
                await stdout.WriteLineAsync(
                    $"  {path}{(PkiFileSet.IsPrivateKeyFile(path) ? "  (encrypted private key)" : "")}");
            await stdout.WriteLineAsync(
                "Keep the folder and the passphrase safe: the private keys cannot be decrypted without the passphrase.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(TextWriter stdout, TextWriter stderr)
    {
        var folderArgument = new Argument<string>("dir") { Description = "A folder written by 'kubes pki init'." };
        var command = new Command("show", "List the CAs of a PKI folder (no passphrase needed).") { folderArgument };
        command.SetAction(async (result, _) =>
        {
            var folder = Path.GetFullPath(result.GetRequiredValue(folderArgument));
            foreach (var kind in Enum.GetValues<CertificateAuthorityKind>())
            {
                var path = Path.Combine(folder, PkiFileSet.CertificateFile(kind));
                if (!File.Exists(path))
                {
                    await stderr.WriteLineAsync(
                        $"error: {path} is missing; give the folder 'kubes pki init --out' wrote.");
                    return ExitCodes.BadInput;
                }
                try
                {
                    using var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(path));
                    await stdout.WriteLineAsync($"{kind.Slug()} CA  {path}");
                    await stdout.WriteLineAsync($"  subject      {certificate.Subject}");
                    await stdout.WriteLineAsync($"  key          {KeyDescription(certificate)}");
                    await stdout.WriteLineAsync(
                        $"  valid        {certificate.NotBefore.ToUniversalTime():u} to {certificate.NotAfter.ToUniversalTime():u}");
                    await stdout.WriteLineAsync(
                        $"  sha256       {certificate.GetCertHashString(HashAlgorithmName.SHA256)}");
                }
                catch (CryptographicException e)
                {
                    await stderr.WriteLineAsync($"error: {path} is not a PEM certificate: {e.Message}");
                    return ExitCodes.BadInput;
                }
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string KeyDescription(X509Certificate2 certificate)
    {
        using var ecdsa = certificate.GetECDsaPublicKey();
        if (ecdsa is not null) return $"ECDSA P-{ecdsa.KeySize}";
        using var rsa = certificate.GetRSAPublicKey();
        return rsa is not null ? $"RSA {rsa.KeySize}" : certificate.PublicKey.Oid.FriendlyName ?? "unknown";
    }

    private static CaPassphrase PassphraseFrom(string? file, Func<string, string?> environment)
    {
        if (file is not null) return CaPassphrase.FromFile(file);
        var fromEnvironment = environment(CaPassphrase.EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
            return CaPassphrase.From(fromEnvironment, $"${CaPassphrase.EnvironmentVariable}");
        throw new ArgumentException(
            "the CA private keys are only ever stored encrypted, and no passphrase was given. Write one (at least "
            + $"{CaPassphrase.MinimumLength} characters) to a file only you can read and pass --passphrase-file FILE, "
            + $"or set {CaPassphrase.EnvironmentVariable}.");
    }
}
