namespace Kubes.Protos.Contract;

/// <summary>
/// What an instance id may look like. EC2's are <c>i-</c> and 8 or 17 hex digits; the local provider's differ, so any
/// short id of letters, digits and '-' is accepted, which is also safe as a state key segment.
/// </summary>
public static class InstanceIds
{
    public const int MaxLength = 64;

    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id)
        && id.Length <= MaxLength
        && char.IsAsciiLetterOrDigit(id[0])
        && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
