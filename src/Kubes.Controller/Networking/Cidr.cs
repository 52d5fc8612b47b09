using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Kubes.Controller.Networking;

/// <summary>An IPv4 CIDR block, normalised so that the address is the network address.</summary>
public readonly record struct Cidr
{
    private Cidr(uint network, int prefixLength)
    {
        Network = network;
        PrefixLength = prefixLength;
    }

    public uint Network { get; }
    public int PrefixLength { get; }

    public uint Mask => PrefixLength == 0 ? 0u : uint.MaxValue << (32 - PrefixLength);
    public ulong Size => 1UL << (32 - PrefixLength);
    public uint Last => Network | ~Mask;

    public static Cidr Parse(string text) =>
        TryParse(text, out var cidr, out var error) ? cidr : throw new FormatException(error);

    public static bool TryParse(string? text, out Cidr cidr, [NotNullWhen(false)] out string? error)
    {
        cidr = default;
        var slash = text?.IndexOf('/') ?? -1;
        if (text is null || slash < 0)
        {
            error = $"'{text}' is not a CIDR block (expected a.b.c.d/n)";
            return false;
        }
        if (!IPAddress.TryParse(text[..slash], out var address) || address.AddressFamily != AddressFamily.InterNetwork
            || text[..slash].Count(c => c == '.') != 3)
        {
            error = $"'{text[..slash]}' is not an IPv4 address";
            return false;
        }
        if (!int.TryParse(text[(slash + 1)..], out var prefix) || prefix is < 0 or > 32
            || text[(slash + 1)..].Any(c => !char.IsAsciiDigit(c)))
        {
            error = $"'/{text[(slash + 1)..]}' is not a prefix length from 0 to 32";
            return false;
        }
        var value = ToUInt(address);
        var candidate = new Cidr(value & MaskFor(prefix), prefix);
        if (candidate.Network != value)
        {
            error = $"'{text}' has host bits set; the block is {candidate}";
            return false;
        }
        cidr = candidate;
        error = null;
        return true;
    }

    public bool Contains(IPAddress address) => (ToUInt(address) & Mask) == Network;

    public bool Contains(Cidr other) => other.PrefixLength >= PrefixLength && (other.Network & Mask) == Network;

    public bool Overlaps(Cidr other) => Contains(other) || other.Contains(this);

    /// <summary>The address <paramref name="offset"/> places after the network address.</summary>
    public IPAddress AddressAt(uint offset)
    {
        if (offset >= Size) throw new ArgumentOutOfRangeException(nameof(offset), $"{offset} is outside {this}");
        return FromUInt(Network + offset);
    }

    /// <summary>Block <paramref name="index"/> of this block cut into pieces <paramref name="extraBits"/> longer.</summary>
    public Cidr Subnet(int extraBits, int index)
    {
        var prefix = PrefixLength + extraBits;
        if (prefix > 32 || index < 0 || index >= 1 << extraBits)
            throw new ArgumentOutOfRangeException(nameof(index), $"{this} has no subnet {index} of /{prefix}");
        return new Cidr(Network + ((uint)index << (32 - prefix)), prefix);
    }

    public override string ToString() => $"{FromUInt(Network)}/{PrefixLength}";

    public static uint ToUInt(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static IPAddress FromUInt(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    private static uint MaskFor(int prefix) => prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
}
