using System.Text;
using System.Text.Json;

namespace Kubes.Controller.Agents;

/// <summary>What a kubes-agent file needs in order to run, read from its own bytes.</summary>
public sealed record AgentExecutable(bool RunsWithoutDotNet, string Description)
{
    /// <summary>
    /// Every .NET apphost carries this 32-byte marker; the 8 bytes before it hold the offset of the single-file bundle
    /// header (0 when the apphost is not a bundle and loads the app's .dll from beside itself). A Native AOT binary
    /// carries no marker: it is plain native code.
    /// </summary>
    private static readonly byte[] BundleMarker =
    [
        0x8b, 0x12, 0x02, 0xb9, 0x6a, 0x61, 0x20, 0x38, 0x72, 0x7b, 0x93, 0x02, 0x14, 0xd7, 0xa0, 0x32,
        0x13, 0xf5, 0xb9, 0xe6, 0xef, 0xae, 0x33, 0x18, 0xee, 0x3b, 0x2d, 0xce, 0x24, 0xb3, 0x6a, 0xae,
    ];

    private static readonly byte[] ElfMagic = [0x7f, (byte)'E', (byte)'L', (byte)'F'];

    public static AgentExecutable Inspect(string path)
    {
        var content = File.ReadAllBytes(path);
        if (!content.AsSpan().StartsWith(ElfMagic))
            return new(false, "not a Linux (ELF) executable");
        var marker = content.AsSpan().IndexOf(BundleMarker);
        if (marker < 0)
            return new(true, "a native executable (Native AOT)");
        var headerOffset = marker >= sizeof(long) ? BitConverter.ToInt64(content, marker - sizeof(long)) : 0;
        if (headerOffset <= 0)
            return new(false, "a .NET apphost that loads its .dll from beside itself and needs .NET installed");
        if (headerOffset >= content.Length)
            return new(false, "a .NET single file cut short (its bundle header is missing)");
        return FrameworksOf(content, headerOffset) switch
        {
            BundledRuntime.Included => new(true, "a self-contained .NET single file"),
            BundledRuntime.Required => new(false, "a framework-dependent .NET single file that needs .NET installed"),
            _ => new(false, "a .NET single file whose runtime configuration cannot be read"),
        };
    }

    private enum BundledRuntime { Unknown, Included, Required }

    /// <summary>
    /// The bundle header (format 2 and later, .NET 5+): major and minor version, file count, bundle id, then the
    /// offset and size of the embedded deps.json and runtimeconfig.json. The runtimeconfig names the shared
    /// frameworks the app needs ("framework"/"frameworks") or the ones it carries ("includedFrameworks").
    /// </summary>
    private static BundledRuntime FrameworksOf(byte[] content, long headerOffset)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(content, (int)headerOffset, content.Length - (int)headerOffset), Encoding.UTF8);
            var major = reader.ReadUInt32();
            reader.ReadUInt32();
            reader.ReadInt32();
            reader.ReadString();
            if (major < 2) return BundledRuntime.Unknown;
            reader.ReadInt64();
            reader.ReadInt64();
            var configOffset = reader.ReadInt64();
            var configSize = reader.ReadInt64();
            if (configOffset <= 0 || configSize <= 0 || configOffset + configSize > content.Length) return BundledRuntime.Unknown;
            using var config = JsonDocument.Parse(content.AsMemory((int)configOffset, (int)configSize));
            if (!config.RootElement.TryGetProperty("runtimeOptions", out var options)) return BundledRuntime.Unknown;
            if (options.TryGetProperty("includedFrameworks", out _)) return BundledRuntime.Included;
            return options.TryGetProperty("framework", out _) || options.TryGetProperty("frameworks", out _)
                ? BundledRuntime.Required
                : BundledRuntime.Unknown;
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or ArgumentException)
        {
            return BundledRuntime.Unknown;
        }
    }
}
