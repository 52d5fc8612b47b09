using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.RegularExpressions;

namespace Kubes.Controller.Spec;

/// <summary>An <c>s3://bucket/prefix</c> state store location; the prefix is empty or has no leading or trailing slash.</summary>
public sealed partial record S3Location(string Bucket, string Prefix)
{
    public const string Scheme = "s3://";

    public override string ToString() => Prefix.Length == 0 ? $"{Scheme}{Bucket}" : $"{Scheme}{Bucket}/{Prefix}";

    public static bool TryParse(string text, [NotNullWhen(true)] out S3Location? location, [NotNullWhen(false)] out string? error)
    {
        location = null;
        if (!text.StartsWith(Scheme, StringComparison.Ordinal))
        {
            error = $"'{text}' is not an S3 location (expected s3://bucket or s3://bucket/prefix)";
            return false;
        }
        var rest = text[Scheme.Length..];
        var slash = rest.IndexOf('/');
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? "" : rest[(slash + 1)..].TrimEnd('/');
        if (!IsValidBucketName(bucket, out error)) return false;
        if (prefix.Split('/').Any(segment => segment.Length == 0) && prefix.Length > 0 || prefix.Any(char.IsControl))
        {
            error = $"prefix '{prefix}' has an empty segment or a control character";
            return false;
        }
        location = new S3Location(bucket, prefix);
        return true;
    }

    /// <summary>S3's general purpose bucket naming rules.</summary>
    public static bool IsValidBucketName(string bucket, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (!BucketPattern().IsMatch(bucket))
            error = $"'{bucket}' is not a valid S3 bucket name: 3 to 63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit";
        else if (bucket.Contains("..", StringComparison.Ordinal))
            error = $"'{bucket}' is not a valid S3 bucket name: it has two adjacent periods";
        else if (IPAddress.TryParse(bucket, out _) && bucket.Count(c => c == '.') == 3)
            error = $"'{bucket}' is not a valid S3 bucket name: it looks like an IP address";
        else if (bucket.StartsWith("xn--", StringComparison.Ordinal) || bucket.StartsWith("sthree-", StringComparison.Ordinal))
            error = $"'{bucket}' is not a valid S3 bucket name: the prefixes xn-- and sthree- are reserved";
        else if (bucket.EndsWith("-s3alias", StringComparison.Ordinal) || bucket.EndsWith("--ol-s3", StringComparison.Ordinal))
            error = $"'{bucket}' is not a valid S3 bucket name: the suffixes -s3alias and --ol-s3 are reserved";
        return error is null;
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\z")]
    private static partial Regex BucketPattern();
}
