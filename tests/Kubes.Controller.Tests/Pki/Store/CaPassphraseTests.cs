using Kubes.Controller.Pki.Store;
using Kubes.Controller.Tests.Pki.Support;

namespace Kubes.Controller.Tests.Pki.Store;

public class CaPassphraseTests
{
    [Fact]
    public void A_short_passphrase_is_refused_with_its_source()
    {
        var error = Assert.Throws<ArgumentException>(() => CaPassphrase.From("short", "$KUBES_CA_PASSPHRASE"));
        Assert.Contains("$KUBES_CA_PASSPHRASE", error.Message, StringComparison.Ordinal);
        Assert.Contains("at least 12", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a long enough secret\n")]
    [InlineData("a long enough secret\r\n")]
    [InlineData("a long enough secret")]
    [InlineData("a long enough secret\nsecond line ignored")]
    public void The_file_passphrase_is_its_first_line(string content)
    {
        using var folder = new TempFolder();
        var fromFile = CaPassphrase.FromFile(folder.Write("pass", content));

        Assert.Equal("a long enough secret", fromFile.Value.ToString());
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var error = Assert.Throws<ArgumentException>(() => CaPassphrase.FromFile("/nonexistent/pass"));
        Assert.Contains("/nonexistent/pass", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_passphrase_never_shows_in_logs() =>
        Assert.DoesNotContain("a long enough secret", CaPassphrase.From("a long enough secret", "test").ToString(),
            StringComparison.Ordinal);
}
