using CsCheck;
using Kubes.Agent.Channels;

namespace Kubes.Agent.Tests.Channels;

public sealed class SortableIdTests
{
    [Fact]
    public void Ids_are_26_base32_characters_and_sort_by_time() =>
        Gen.Long[0, 1L << 46].Select(Gen.Long[1, 1L << 30]).Sample((start, step) =>
        {
            var earlier = SortableId.New(DateTimeOffset.FromUnixTimeMilliseconds(start));
            var later = SortableId.New(DateTimeOffset.FromUnixTimeMilliseconds(start + step));
            return earlier.Length == 26 && later.Length == 26
                   && earlier.All(c => "0123456789ABCDEFGHJKMNPQRSTVWXYZ".Contains(c))
                   && string.CompareOrdinal(earlier, later) < 0;
        });

    [Fact]
    public void Ids_made_in_the_same_millisecond_differ()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.NotEqual(SortableId.New(now), SortableId.New(now));
    }
}
