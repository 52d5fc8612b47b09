using System.Text.Json.Nodes;
using Kubes.StandIns.ApiServer;

namespace Kubes.StandIns.Tests.ApiServer;

public sealed class LabelSelectorTests
{
    private static readonly JsonObject Labelled = JsonNode.Parse("""{"metadata":{"labels":{"app":"dns","tier":"control"}}}""")!.AsObject();

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("app=dns", true)]
    [InlineData("app==dns", true)]
    [InlineData("app=dns,tier=control", true)]
    [InlineData(" app = dns ", true)]
    [InlineData("app=dns,tier=data", false)]
    [InlineData("app=proxy", false)]
    [InlineData("owner=", false)]
    public void Equality_requirements_must_all_hold(string? selector, bool matches) =>
        Assert.Equal(matches, LabelSelector.Parse(selector).Matches(Labelled));

    [Fact]
    public void An_object_without_labels_matches_only_the_empty_selector()
    {
        var bare = JsonNode.Parse("""{"metadata":{"name":"x"}}""")!.AsObject();

        Assert.True(LabelSelector.Parse("").Matches(bare));
        Assert.False(LabelSelector.Parse("app=dns").Matches(bare));
    }

    [Theory]
    [InlineData("app!=dns")]
    [InlineData("app in (dns)")]
    [InlineData("app")]
    [InlineData("!app")]
    [InlineData("=dns")]
    [InlineData("app=dns=x")]
    public void Set_based_requirements_are_refused_with_400(string selector)
    {
        var refusal = Assert.Throws<ApiStatusException>(() => LabelSelector.Parse(selector));

        Assert.Equal(400, refusal.Code);
        Assert.Contains("equality label selectors only", refusal.Message);
    }
}
