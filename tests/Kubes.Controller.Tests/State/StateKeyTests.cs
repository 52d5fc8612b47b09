using CsCheck;
using Kubes.Controller.State;

namespace Kubes.Controller.Tests.State;

public sealed class StateKeyTests
{
    [Fact]
    public void A_valid_key_never_leaves_the_store_root()
    {
        var root = Path.GetFullPath("/tmp/kubes-root");
        Gen.String[Gen.Char["ab./-_.~ \\"], 0, 24].Sample(key =>
        {
            if (!StateKey.IsValid(key)) return;
            var path = Path.GetFullPath(Path.Combine(root, key));
            Assert.StartsWith(root + Path.DirectorySeparatorChar, path);
            Assert.Equal(key, Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/'));
        }, iter: 20_000);
    }

    [Theory]
    [InlineData("mailbox/requests/i-0abc/req-1.pb", true)]
    [InlineData("a", true)]
    [InlineData("a/.b", false)]
    [InlineData("a/b/", false)]
    [InlineData("a\\b", false)]
    public void Keys(string key, bool valid) => Assert.Equal(valid, StateKey.IsValid(key));

    [Theory]
    [InlineData("", true)]
    [InlineData("mailbox/", true)]
    [InlineData("mailbox/req", true)]
    [InlineData("mailbox//", false)]
    [InlineData("../", false)]
    public void Prefixes(string prefix, bool valid) => Assert.Equal(valid, StateKey.IsValidPrefix(prefix));
}
