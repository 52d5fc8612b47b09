using Kubes.Controller.Spec;

namespace Kubes.Controller.Tests.Spec;

public sealed class SpellingSuggestionTests
{
    private static readonly string[] Fields = ["count", "instanceType", "rootVolumeSizeGiB", "volumeSizeGiB"];

    [Theory]
    [InlineData("cuont", "count")]
    [InlineData("Count", "count")]
    [InlineData("instancetype", "instanceType")]
    [InlineData("instanceTyp", "instanceType")]
    [InlineData("volumeSize", "volumeSizeGiB")]
    public void Suggests_the_close_field(string typed, string expected) =>
        Assert.Equal(expected, SpellingSuggestion.Closest(typed, Fields));

    [Theory]
    [InlineData("replicas")]
    [InlineData("x")]
    public void Suggests_nothing_when_nothing_is_close(string typed) => Assert.Null(SpellingSuggestion.Closest(typed, Fields));

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("abc", "", 3)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("count", "cuont", 1)]
    public void Distance_counts_edits_with_swaps_as_one(string a, string b, int distance) =>
        Assert.Equal(distance, SpellingSuggestion.Distance(a, b));
}
