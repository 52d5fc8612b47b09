using CsCheck;
using Kubes.Controller.State;

namespace Kubes.Controller.Tests.State;

public sealed class S3StateLocationTests
{
    [Theory]
    [InlineData("s3://bucket", "bucket", "")]
    [InlineData("s3://bucket/", "bucket", "")]
    [InlineData("s3://my.bucket-1/clusters/prod", "my.bucket-1", "clusters/prod/")]
    [InlineData("s3://bucket/clusters/prod/", "bucket", "clusters/prod/")]
    public void Parses_bucket_and_prefix(string text, string bucket, string prefix)
    {
        var location = S3StateLocation.Parse(text);
        Assert.Equal(bucket, location.Bucket);
        Assert.Equal(prefix, location.Prefix);
    }

    [Theory]
    [InlineData("bucket/prefix")]
    [InlineData("s3://")]
    [InlineData("s3://UPPER")]
    [InlineData("s3://ab")]
    [InlineData("s3://-bucket")]
    [InlineData("s3://bucket/../x")]
    [InlineData("s3://bucket/a//b")]
    public void Refuses_what_is_not_a_location(string text)
    {
        Assert.False(S3StateLocation.TryParse(text, out _, out var error));
        Assert.Contains(text.Length > 5 ? text[5..Math.Min(text.Length, 10)] : text, error);
    }

    [Fact]
    public void Printing_and_parsing_round_trip()
    {
        var segment = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-_."], 1, 8].Where(StateKey.IsValidSegment);
        var bucket = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"], 3, 20];
        Gen.Select(bucket, segment.Array[0, 4]).Sample((b, segments) =>
        {
            var location = new S3StateLocation(b, segments.Length == 0 ? "" : string.Join('/', segments) + "/");
            Assert.Equal(location, S3StateLocation.Parse(location.ToString()));
        });
    }
}
