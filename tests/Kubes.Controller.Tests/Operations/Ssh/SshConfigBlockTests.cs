using CsCheck;
using Kubes.Controller.Operations.Ssh;

namespace Kubes.Controller.Tests.Operations.Ssh;

/// <summary>
/// <c>kubes ssh-config</c>'s block in an operator's ssh config, over arbitrary surrounding content: written once or many
/// times it is there once, removed it leaves the file exactly as it was, and the rest of the file is never touched.
/// </summary>
public sealed class SshConfigBlockTests
{
    private const string Cluster = "demo";
    private static readonly string Block = SshConfigBlock.Render(Cluster, "Host etcd-0.demo etcd-0.demo.kubes.internal\n    HostName 10.0.0.10\n");
    private static readonly string NewBlock = SshConfigBlock.Render(Cluster, "Host etcd-0.demo etcd-0.demo.kubes.internal\n    HostName 10.0.0.11\n");

    /// <summary>
    /// What an operator's file may hold: any text, including lines that look like other clusters' blocks, CRLF line ends,
    /// Host * sections, Include lines and no trailing newline, but no block of this cluster (a BEGIN line of it followed by
    /// an END line of it).
    /// </summary>
    private static readonly Gen<string> Surrounding =
        Gen.OneOf(
                Gen.String[Gen.Char["abcHost *=\t#-./~ \"é"], 0, 40],
                Gen.OneOf(Gen.Const("Host *"), Gen.Const("  StrictHostKeyChecking no"), Gen.Const("Include ~/.ssh/conf.d/*"),
                    Gen.Const("# BEGIN kubes cluster other"), Gen.Const("# END kubes cluster other"), Gen.Const("# BEGIN kubes cluster demo2"),
                    Gen.Const("# END kubes cluster demox"), Gen.Const("Match all"), Gen.Const("")))
            .Array[0, 12]
            .Select(Gen.OneOf(Gen.Const("\n"), Gen.Const("\r\n")), Gen.Bool, (lines, newline, trailing) =>
                string.Join(newline, lines) + (trailing && lines.Length > 0 ? newline : ""));

    [Fact]
    public void Written_into_any_file_the_block_comes_first_and_the_rest_follows_unchanged() =>
        Surrounding.Sample(file =>
        {
            var written = SshConfigBlock.Write(file, Cluster, Block);

            Assert.Equal(Block + file, written);
            Assert.True(SshConfigBlock.Contains(written, Cluster));
        });

    [Fact]
    public void Writing_again_replaces_the_block_in_place_and_changes_nothing_else() =>
        Gen.Select(Surrounding, Surrounding).Sample((before, after) =>
        {
            var file = before + (before.EndsWith('\n') || before.Length == 0 ? "" : "\n") + Block + after;
            var expected = file.Replace(Block, NewBlock, StringComparison.Ordinal);

            var rewritten = SshConfigBlock.Write(file, Cluster, NewBlock);

            Assert.Equal(expected, rewritten);
            Assert.Equal(rewritten, SshConfigBlock.Write(rewritten, Cluster, NewBlock));
        });

    [Fact]
    public void Removing_it_gives_back_the_file_byte_for_byte() =>
        Surrounding.Sample(file =>
        {
            var written = SshConfigBlock.Write(SshConfigBlock.Write(file, Cluster, Block), Cluster, NewBlock);

            Assert.Equal(file, SshConfigBlock.Remove(written, Cluster));
            Assert.Equal(file, SshConfigBlock.Remove(file, Cluster));
        });

    [Fact]
    public void Another_cluster_s_block_is_left_alone()
    {
        var other = SshConfigBlock.Render("other", "Host etcd-0.other\n    HostName 10.1.0.10\n");
        var file = "Host *\n    ServerAliveInterval 30\n" + other;

        var written = SshConfigBlock.Write(file, Cluster, Block);

        Assert.Equal(Block + file, written);
        Assert.Equal(file, SshConfigBlock.Remove(written, Cluster));
        Assert.Equal(Block + "Host *\n    ServerAliveInterval 30\n", SshConfigBlock.Remove(written, "other"));
    }

    [Fact]
    public void The_block_ends_with_Host_star_so_the_file_s_own_top_level_options_keep_applying_to_every_host()
    {
        var lines = Block.TrimEnd('\n').Split('\n');

        Assert.StartsWith("# BEGIN kubes cluster demo ", lines[0], StringComparison.Ordinal);
        Assert.Equal("Host *", lines[^2]);
        Assert.Equal("# END kubes cluster demo", lines[^1]);
    }
}
