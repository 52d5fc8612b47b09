using CsCheck;
using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Tests.Aws.Query;

public sealed class QueryParametersTests
{
    [Fact]
    public void Action_and_version_come_first_and_every_value_is_percent_encoded_per_rfc_3986()
    {
        var parameters = new QueryParameters()
            .Add("Path", "/kubes/demo cluster/")
            .Add("PolicyDocument", """{"a":"b+c=d&e~f_g.h-i"}""")
            .Add("Description", "été");

        Assert.Equal(
            "Action=CreateRole&Version=2010-05-08" +
            "&Path=%2Fkubes%2Fdemo%20cluster%2F" +
            "&PolicyDocument=%7B%22a%22%3A%22b%2Bc%3Dd%26e~f_g.h-i%22%7D" +
            "&Description=%C3%A9t%C3%A9",
            parameters.ToFormBody("CreateRole", "2010-05-08"));
    }

    [Fact]
    public void Lists_tags_and_structures_are_flattened_into_numbered_members()
    {
        var parameters = new QueryParameters()
            .AddList("Subnets", ["subnet-1", "subnet-2"])
            .AddTags("Tags", [new AwsTag("kubes.io/cluster", "demo"), new AwsTag("Name", "")])
            .AddMembers("Filters", [("key", "k")], (fields, filter) => fields.Add("Name", filter.Item1).AddList("Values", [filter.Item2]))
            .AddOptional("Marker", (string?)null)
            .AddOptional("PageSize", 5)
            .Add("ForceDelete", true);

        Assert.Equal(
            [
                new("Subnets.member.1", "subnet-1"), new("Subnets.member.2", "subnet-2"),
                new("Tags.member.1.Key", "kubes.io/cluster"), new("Tags.member.1.Value", "demo"),
                new("Tags.member.2.Key", "Name"), new("Tags.member.2.Value", ""),
                new("Filters.member.1.Name", "key"), new("Filters.member.1.Values.member.1", "k"),
                new("PageSize", "5"), new("ForceDelete", "true"),
            ],
            parameters.Entries);
    }

    [Fact]
    public void An_empty_list_adds_nothing()
    {
        Assert.Empty(new QueryParameters().AddList("Names", []).AddTags("Tags", []).Entries);
    }

    [Fact]
    public void Any_names_and_values_survive_the_form_body_and_only_unreserved_characters_travel_bare()
    {
        Gen.Select(Gen.String, Gen.String).List[0, 6].Sample(pairs =>
        {
            var parameters = new QueryParameters();
            foreach (var (name, value) in pairs) parameters.Add(name, value);

            var body = parameters.ToFormBody("Do", "1");

            Assert.Matches("^[A-Za-z0-9%=&._~-]*$", body);
            var decoded = body.Split('&').Skip(2).Select(pair => pair.Split('=')).Select(parts =>
                (Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1])));
            Assert.Equal(pairs.Select(ValidUtf16), decoded);
        });
    }

    // Lone surrogates cannot be encoded as UTF-8; they travel as U+FFFD.
    private static (string, string) ValidUtf16((string Name, string Value) pair) =>
        (Replace(pair.Name), Replace(pair.Value));

    private static string Replace(string text) => System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(text));
}
