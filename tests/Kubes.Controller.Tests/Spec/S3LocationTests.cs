using Kubes.Controller.Spec;

namespace Kubes.Controller.Tests.Spec;

public sealed class S3LocationTests
{
    [Theory]
    [InlineData("s3://bucket", "bucket", "")]
    [InlineData("s3://my.bucket-1/a/b", "my.bucket-1", "a/b")]
    [InlineData("s3://bucket/prefix/", "bucket", "prefix")]
    public void Parses_the_bucket_and_the_prefix(string text, string bucket, string prefix)
    {
        Assert.True(S3Location.TryParse(text, out var location, out _));
        Assert.Equal(new S3Location(bucket, prefix), location);
    }

    [Fact]
    public void Writes_itself_back_as_text() =>
        Assert.Equal("s3://bucket/a/b", new S3Location("bucket", "a/b").ToString());

    [Theory]
    [InlineData("bucket")]
    [InlineData("s3://")]
    [InlineData("s3://xn--bucket")]
    [InlineData("s3://bucket-s3alias")]
    [InlineData("s3://-bucket")]
    [InlineData("s3://bucket\n")]
    public void Refuses_what_s3_refuses(string text) => Assert.False(S3Location.TryParse(text, out _, out _));
}
