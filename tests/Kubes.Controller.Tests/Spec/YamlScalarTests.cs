using CsCheck;
using Kubes.Controller.Spec;
using YamlDotNet.RepresentationModel;

namespace Kubes.Controller.Tests.Spec;

public sealed class YamlScalarTests
{
    [Fact]
    public void Any_string_reads_back_as_the_same_string_in_a_block_or_a_flow_list()
    {
        Gen.String.Sample(value =>
        {
            var block = Parse($"key: {YamlScalar.Of(value)}\n");
            Assert.Equal(value, ((YamlScalarNode)((YamlMappingNode)block).Children[new YamlScalarNode("key")]).Value);

            var flow = Parse($"key: {YamlScalar.FlowList([value, "x"])}\n");
            var items = (YamlSequenceNode)((YamlMappingNode)flow).Children[new YamlScalarNode("key")];
            Assert.Equal(value, ((YamlScalarNode)items.Children[0]).Value);
        }, iter: 2000);
    }

    [Theory]
    [InlineData("us-east-1", "us-east-1")]
    [InlineData("10.0.0.0/16", "10.0.0.0/16")]
    [InlineData("1.34.2", "1.34.2")]
    [InlineData("s3://bucket/prefix", "s3://bucket/prefix")]
    [InlineData("./.kubes/demo", "./.kubes/demo")]
    [InlineData("", "\"\"")]
    [InlineData("123", "\"123\"")]
    [InlineData("1.5", "\"1.5\"")]
    [InlineData("yes", "\"yes\"")]
    [InlineData("null", "\"null\"")]
    [InlineData("12:30", "\"12:30\"")]
    [InlineData("2024-01-01", "\"2024-01-01\"")]
    [InlineData("a #b", "\"a #b\"")]
    [InlineData("a: b", "\"a: b\"")]
    [InlineData("say \"hi\"\n", "\"say \\\"hi\\\"\\n\"")]
    public void Plain_when_unambiguous_else_double_quoted(string value, string written) =>
        Assert.Equal(written, YamlScalar.Of(value));

    private static YamlNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents[0].RootNode;
    }
}
