namespace Kubes.StandIns.Flags;

/// <summary>One flag of a component, as its reference page prints it: long name, pflag type word, deprecated or not.</summary>
public sealed record FlagDefinition(string Name, string Type, bool Deprecated)
{
    /// <summary>Given without a value it means true (pflag's NoOptDefVal): booleans and --version.</summary>
    public bool TakesNoValue => Type is "bool" || Type.StartsWith("version[", StringComparison.Ordinal);

    /// <summary>Repeating the flag adds to its list instead of replacing the value.</summary>
    public bool IsList => Type is "strings" or "stringToString" or "colonSeparatedMultimapStringString" or "int32Slice"
        || Type.StartsWith('<');
}
