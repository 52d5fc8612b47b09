namespace Kubes.Controller.Pki;

/// <summary>The names the policy accepts as DNS SANs and node names: lower-case RFC 1123 host names.</summary>
internal static class DnsName
{
    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= 253 } && name.Split('.').All(IsLabel);

    public static string Require(string name, string what) =>
        IsValid(name)
            ? name
            : throw new ArgumentException(
                $"{what} '{name}' is not a lower-case DNS name (labels of a-z, 0-9 and '-', at most 253 characters)");

    private static bool IsLabel(string label) =>
        label.Length is > 0 and <= 63
        && label[0] != '-' && label[^1] != '-'
        && label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
