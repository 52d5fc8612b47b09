namespace Kubes.Controller.Tests.Local.Support;

/// <summary>Tests that bind loopback addresses or boot process trees run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class LocalTestCollection
{
    public const string Name = "local provider";
}
