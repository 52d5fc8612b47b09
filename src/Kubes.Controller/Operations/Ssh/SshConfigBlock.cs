namespace Kubes.Controller.Operations.Ssh;

/// <summary>
/// The one block of a cluster in an operator's <c>~/.ssh/config</c>, between a BEGIN and an END line naming the cluster.
/// It goes first in the file, because ssh takes the first value it finds for each option, so nothing of the file's own
/// can loosen the cluster's host checking; it ends with <c>Host *</c>, so the options that opened the file keep applying
/// to every host as before. Writing it again replaces it where it is; removing it leaves the rest byte for byte.
/// </summary>
public static class SshConfigBlock
{
    public static string BeginLine(string cluster) => $"# BEGIN kubes cluster {cluster}";

    public static string EndLine(string cluster) => $"# END kubes cluster {cluster}";

    /// <summary>The whole block: its lines end with \n.</summary>
    public static string Render(string cluster, string entries) =>
        $"{BeginLine(cluster)} (written by 'kubes ssh-config'; 'kubes ssh-config --remove' removes it, edits are lost)\n"
        + entries
        + "# The options below apply to every host again.\nHost *\n"
        + EndLine(cluster) + "\n";

    /// <summary><paramref name="config"/> with the cluster's block in place of its old one, or first when it had none.</summary>
    public static string Write(string config, string cluster, string block) =>
        Find(config, cluster) is { } found ? config[..found.Start] + block + config[found.End..] : block + config;

    /// <summary><paramref name="config"/> without the cluster's block; unchanged when it has none.</summary>
    public static string Remove(string config, string cluster) =>
        Find(config, cluster) is { } found ? config[..found.Start] + config[found.End..] : config;

    public static bool Contains(string config, string cluster) => Find(config, cluster) is not null;

    /// <summary>
    /// The first BEGIN line of the cluster (the line itself, or followed by a space) with an END line of the cluster after
    /// it, from the start of the one to the end of the other, its line break included.
    /// </summary>
    private static (int Start, int End)? Find(string config, string cluster)
    {
        var begin = BeginLine(cluster);
        var end = EndLine(cluster);
        var lines = Lines(config).ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            if (!IsLine(lines[i].Text, begin, allowSuffix: true)) continue;
            for (var j = i + 1; j < lines.Count; j++)
            {
                if (IsLine(lines[j].Text, end, allowSuffix: false)) return (lines[i].Start, lines[j].End);
            }
            return null;
        }
        return null;
    }

    private static bool IsLine(string line, string marker, bool allowSuffix) =>
        line == marker || (allowSuffix && line.StartsWith(marker + " ", StringComparison.Ordinal));

    /// <summary>Each line's text (without its line break) and where it starts and ends (after its line break).</summary>
    private static IEnumerable<(string Text, int Start, int End)> Lines(string config)
    {
        var start = 0;
        while (start < config.Length)
        {
            var newline = config.IndexOf('\n', start);
            var end = newline < 0 ? config.Length : newline + 1;
            var text = config[start..(newline < 0 ? config.Length : newline)].TrimEnd('\r');
            yield return (text, start, end);
            start = end;
        }
    }
}
