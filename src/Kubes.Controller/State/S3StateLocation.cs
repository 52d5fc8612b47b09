using System.Diagnostics.CodeAnalysis;

namespace Kubes.Controller.State;

/// <summary>A bucket and a key prefix, written <c>s3://bucket/prefix</c>.</summary>
public sealed record S3StateLocation(string Bucket, string Prefix)
{
    public override string ToString() => Prefix.Length == 0 ? $"s3://{Bucket}" : $"s3://{Bucket}/{Prefix.TrimEnd('/')}";

    /// <summary>The S3 key of a state key: the prefix, then the key.</summary>
    public string KeyOf(string stateKey) => Prefix + stateKey;

    public static bool IsS3(string location) => location.StartsWith("s3://", StringComparison.Ordinal);

    public static S3StateLocation Parse(string text) =>
        TryParse(text, out var location, out var error) ? location : throw new FormatException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out S3StateLocation? location,
        [NotNullWhen(false)] out string? error)
    {
        location = null;
        if (text is null || !IsS3(text))
        {
            error = $"'{text}' is not an S3 location (expected s3://bucket or s3://bucket/prefix)";
            return false;
        }
        var rest = text["s3://".Length..];
        var slash = rest.IndexOf('/');
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? "" : rest[(slash + 1)..].Trim('/');
        if (!IsBucketName(bucket))
        {
            error = $"'{bucket}' in '{text}' is not an S3 bucket name (3-63 lower-case letters, digits, '.', '-')";
            return false;
        }
        if (prefix.Length > 0 && !StateKey.IsValid(prefix))
        {
            error = $"'{prefix}' in '{text}' is not a usable prefix (segments of letters, digits, '.', '_', '-')";
            return false;
        }
        location = new S3StateLocation(bucket, prefix.Length == 0 ? "" : prefix + "/");
        error = null;
        return true;
    }

    private static bool IsBucketName(string name) =>
        name.Length is >= 3 and <= 63
        && IsLowerAlphanumeric(name[0])
        && IsLowerAlphanumeric(name[^1])
        && name.All(c => IsLowerAlphanumeric(c) || c is '.' or '-');

    private static bool IsLowerAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
