using YamlDotNet.RepresentationModel;

namespace Kubes.StandIns.ApiServer;

/// <summary>
/// What kube-apiserver checks beyond the fields of an EncryptionConfiguration: each provider entry is exactly one
/// provider, and every key is base64 of a length its cipher takes (aescbc and aesgcm 16, 24 or 32 bytes; secretbox 32).
/// </summary>
public static class EncryptionKeys
{
    private static readonly Dictionary<string, int[]> KeyLengths = new()
    {
        ["aescbc"] = [16, 24, 32], ["aesgcm"] = [16, 24, 32], ["secretbox"] = [32],
    };

    public static void Check(string where, YamlMappingNode config)
    {
        foreach (var resource in Items(config, "resources"))
        {
            var providers = Items(resource, "providers").ToList();
            if (providers.Count == 0) throw new StandInException($"{where}: a resources entry has no providers");
            foreach (var provider in providers)
            {
                var kinds = provider.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();
                if (kinds.Count != 1)
                    throw new StandInException($"{where}: a provider entry (line {provider.Start.Line}) must name exactly one provider, not {kinds.Count}");
                if (!KeyLengths.TryGetValue(kinds[0], out var lengths)) continue;
                var keys = Items((YamlMappingNode)provider.Children[new YamlScalarNode(kinds[0])], "keys").ToList();
                if (keys.Count == 0) throw new StandInException($"{where}: the {kinds[0]} provider (line {provider.Start.Line}) has no keys");
                foreach (var key in keys)
                {
                    var name = Configs.StrictConfig.Scalar(key, "name") ?? "";
                    var secret = Configs.StrictConfig.Scalar(key, "secret") ?? "";
                    byte[] bytes;
                    try
                    {
                        bytes = Convert.FromBase64String(secret);
                    }
                    catch (FormatException)
                    {
                        throw new StandInException($"{where}: the secret of {kinds[0]} key '{name}' is not base64");
                    }

                    if (!lengths.Contains(bytes.Length))
                        throw new StandInException(
                            $"{where}: the {kinds[0]} key '{name}' is {bytes.Length} bytes; it must be {string.Join(" or ", lengths)}");
                }
            }
        }
    }

    private static IEnumerable<YamlMappingNode> Items(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlSequenceNode list
            ? list.Children.OfType<YamlMappingNode>()
            : [];
}
