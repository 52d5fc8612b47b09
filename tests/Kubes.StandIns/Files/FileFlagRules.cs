namespace Kubes.StandIns.Files;

/// <summary>A certificate flag and the flag of its key, and the use the certificate is for (null: a CA, not checked).</summary>
public sealed record CertificateKeyFlags(string Certificate, string Key, string? Usage);

/// <summary>
/// What each flag of a component that names a file must hold. Every such flag of the component's list is in exactly
/// one of these (a test holds the stand-ins to that); <see cref="Refused"/> are files the stand-ins cannot check, so a
/// command line with one is refused rather than run unchecked.
/// </summary>
public sealed record FileFlagRules
{
    public IReadOnlyList<CertificateKeyFlags> Pairs { get; init; } = [];

    public IReadOnlyList<string> CaBundles { get; init; } = [];

    public IReadOnlyList<string> Kubeconfigs { get; init; } = [];

    /// <summary>Config files by flag, with the kind each must be (a Reference/fields list).</summary>
    public IReadOnlyDictionary<string, string> Configs { get; init; } = new Dictionary<string, string>();

    /// <summary>Files of private keys alone (service-account signing keys).</summary>
    public IReadOnlyList<string> PrivateKeys { get; init; } = [];

    /// <summary>Files of public keys (certificates and private keys count: their public halves).</summary>
    public IReadOnlyList<string> PublicKeys { get; init; } = [];

    /// <summary>Folders the component writes to (made when missing).</summary>
    public IReadOnlyList<string> Directories { get; init; } = [];

    /// <summary>Files the component only reads, whatever they hold (resolv.conf): they must exist.</summary>
    public IReadOnlyList<string> Inputs { get; init; } = [];

    /// <summary>Files the component writes (a log, a socket): their folder must exist or be makeable.</summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];

    public IReadOnlyList<string> Refused { get; init; } = [];

    public IEnumerable<string> Covered =>
        Pairs.SelectMany(p => new[] { p.Certificate, p.Key }).Concat(CaBundles).Concat(Kubeconfigs).Concat(Configs.Keys)
            .Concat(PrivateKeys).Concat(PublicKeys).Concat(Inputs).Concat(Directories).Concat(Outputs).Concat(Refused);
}
