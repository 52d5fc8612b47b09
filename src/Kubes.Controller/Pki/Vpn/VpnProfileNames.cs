using System.Text.RegularExpressions;

namespace Kubes.Controller.Pki.Vpn;

/// <summary>What a VPN profile may be called: it is a certificate's common name, a state-store key and a file name.</summary>
public static partial class VpnProfileNames
{
    public const int MaxLength = 64;

    public static bool IsValid(string name) => name.Length <= MaxLength && Pattern().IsMatch(name);

    /// <exception cref="ArgumentException">Not a valid profile name; the message says what is.</exception>
    public static string Require(string name) => IsValid(name)
        ? name
        : throw new ArgumentException(
            $"'{name}' is not a VPN profile name: 1 to {MaxLength} letters, digits, '.', '_' and '-', starting and ending "
            + "with a letter or digit, like alice or ci-runner-1");

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?\z")]
    private static partial Regex Pattern();
}
