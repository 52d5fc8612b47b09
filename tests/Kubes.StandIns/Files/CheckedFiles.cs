using System.Security.Cryptography.X509Certificates;
using Kubes.StandIns.Configs;
using Kubes.StandIns.Flags;
using YamlDotNet.RepresentationModel;

namespace Kubes.StandIns.Files;

/// <summary>
/// Opens every file the command line names, by its component's <see cref="FileFlagRules"/>, and keeps what they hold
/// for the stand-in to use. The first file that does not hold what its flag needs stops the stand-in.
/// </summary>
public sealed class CheckedFiles
{
    private readonly Dictionary<string, X509Certificate2> _certificates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<X509Certificate2>> _chains = new(StringComparer.Ordinal);
    private readonly Dictionary<string, X509Certificate2Collection> _caBundles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Kubeconfig> _kubeconfigs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, YamlMappingNode> _configs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _privateKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<byte[]>> _publicKeys = new(StringComparer.Ordinal);

    /// <summary>The certificate (with its key) of a pair, by the certificate's flag; null when not given.</summary>
    public X509Certificate2? Certificate(string flag) => _certificates.GetValueOrDefault(flag);

    /// <summary>The certificate file's certificates (leaf first), by the certificate's flag.</summary>
    public IReadOnlyList<X509Certificate2>? Chain(string flag) => _chains.GetValueOrDefault(flag);

    public X509Certificate2Collection? CaBundle(string flag) => _caBundles.GetValueOrDefault(flag);

    public Kubeconfig? Kubeconfig(string flag) => _kubeconfigs.GetValueOrDefault(flag);

    public YamlMappingNode? Config(string flag) => _configs.GetValueOrDefault(flag);

    /// <summary>The public key (SubjectPublicKeyInfo) of a private-key file, by its flag.</summary>
    public byte[]? PublicKeyOfPrivateKey(string flag) => _privateKeys.GetValueOrDefault(flag);

    public IReadOnlyList<byte[]> PublicKeys(string flag) => _publicKeys.GetValueOrDefault(flag) ?? [];

    public static CheckedFiles Open(CommandLine line, FileFlagRules rules)
    {
        var files = new CheckedFiles();
        foreach (var flag in rules.Refused.Where(line.Has))
            throw new StandInException(
                $"--{flag} names a file the Kubes stand-in for {line.Table.Component} cannot check; it refuses to run with it unchecked");
        foreach (var pair in rules.Pairs)
        {
            var (certificate, key) = (line.Value(pair.Certificate), line.Value(pair.Key));
            if (certificate is null && key is null) continue;
            if (certificate is null || key is null)
                throw new StandInException(
                    $"--{(certificate is null ? pair.Key : pair.Certificate)} is given without --{(certificate is null ? pair.Certificate : pair.Key)}; give both or neither");
            var certificateWhere = $"--{pair.Certificate} {certificate}";
            var pem = Pem.ReadFile($"--{pair.Certificate}", certificate);
            files._chains[pair.Certificate] = Pem.Certificates(certificateWhere, pem);
            files._certificates[pair.Certificate] = Pem.CertificateWithKey(certificateWhere, pem, $"--{pair.Key} {key}",
                Pem.ReadFile($"--{pair.Key}", key), pair.Usage);
        }

        foreach (var flag in rules.CaBundles.Where(line.Has))
            files._caBundles[flag] = Pem.CaBundle($"--{flag} {line.Value(flag)}", Pem.ReadFile($"--{flag}", line.Value(flag)!));
        foreach (var flag in rules.Kubeconfigs.Where(line.Has))
            files._kubeconfigs[flag] = Configs.Kubeconfig.Read(flag, line.Value(flag)!);
        foreach (var (flag, kind) in rules.Configs.Where(c => line.Has(c.Key)))
            files._configs[flag] = StrictConfig.Read($"--{flag}", line.Value(flag)!, FieldSchema.For(kind));
        foreach (var flag in rules.PrivateKeys.Where(line.Has))
        {
            using var key = Pem.PrivateKey($"--{flag} {line.Value(flag)}", Pem.ReadFile($"--{flag}", line.Value(flag)!));
            files._privateKeys[flag] = Pem.PublicKeyOf(key);
        }

        foreach (var flag in rules.PublicKeys.Where(line.Has))
            files._publicKeys[flag] = line.Items(flag)
                .SelectMany(path => Pem.PublicKeys($"--{flag} {path}", Pem.ReadFile($"--{flag}", path))).ToList();
        foreach (var flag in rules.Inputs.Where(line.Has))
            Pem.ReadFile($"--{flag}", line.Value(flag)!);
        foreach (var flag in rules.Directories.Where(line.Has))
            MakeFolder(flag, line.Value(flag)!);
        foreach (var flag in rules.Outputs.Where(f => line.Value(f) is { Length: > 0 } and not "-"))
            MakeFolder(flag, Path.GetDirectoryName(Path.GetFullPath(line.Value(flag)!))!);
        return files;
    }

    public static void MakeFolder(string flag, string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StandInException($"--{flag}: the folder {folder} cannot be made ({e.Message})");
        }
    }
}
