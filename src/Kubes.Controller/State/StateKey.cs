namespace Kubes.Controller.State;

/// <summary>
/// The one key syntax every store accepts: segments of letters, digits, '.', '_', '-' joined by
/// '/', none empty, none starting with '.'. It maps one-to-one onto a file path and an S3 key and
/// cannot climb out of the store.
/// </summary>
public static class StateKey
{
    public const int MaxLength = 512;

    public static bool IsValid(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > MaxLength) return false;
        foreach (var segment in key.Split('/'))
        {
            if (!IsValidSegment(segment)) return false;
        }
        return true;
    }

    public static bool IsValidSegment(string? segment) =>
        !string.IsNullOrEmpty(segment)
        && segment[0] != '.'
        && segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>A list prefix is any beginning of a valid key (it may end in '/' or mid-segment).</summary>
    public static bool IsValidPrefix(string? prefix)
    {
        if (prefix is null || prefix.Length > MaxLength) return false;
        if (prefix.Length == 0) return true;
        var segments = prefix.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            if (last && segments[i].Length == 0) continue;
            if (!IsValidSegment(segments[i])) return false;
        }
        return true;
    }

    public static void Check(string key)
    {
        if (!IsValid(key))
        {
            throw new ArgumentException(
                $"'{key}' is not a state key: use '/'-separated segments of letters, digits, '.', '_' and '-'.",
                nameof(key));
        }
    }

    public static void CheckPrefix(string prefix)
    {
        if (!IsValidPrefix(prefix))
        {
            throw new ArgumentException($"'{prefix}' is not a state key prefix.", nameof(prefix));
        }
    }
}
