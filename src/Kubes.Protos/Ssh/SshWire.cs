using System.Buffers.Binary;
using System.Text;

namespace Kubes.Protos.Ssh;

/// <summary>Writes the SSH wire encoding (RFC 4251 section 5): big-endian integers, length-prefixed strings, mpints.</summary>
public sealed class SshWriter
{
    private readonly MemoryStream _buffer = new();

    public SshWriter UInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public SshWriter UInt64(ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public SshWriter String(ReadOnlySpan<byte> value)
    {
        UInt32((uint)value.Length);
        _buffer.Write(value);
        return this;
    }

    public SshWriter String(string value) => String(Encoding.UTF8.GetBytes(value));

    /// <summary>An unsigned big-endian integer as an mpint: no leading zero bytes, one added when the top bit is set.</summary>
    public SshWriter Mpint(ReadOnlySpan<byte> unsignedBigEndian)
    {
        var start = 0;
        while (start < unsignedBigEndian.Length && unsignedBigEndian[start] == 0) start++;
        var digits = unsignedBigEndian[start..];
        if (digits.Length > 0 && (digits[0] & 0x80) != 0)
        {
            UInt32((uint)digits.Length + 1);
            _buffer.WriteByte(0);
            _buffer.Write(digits);
        }
        else
        {
            String(digits);
        }
        return this;
    }

    /// <summary>Strings packed one after the other into one string (certificate principals, options, extensions).</summary>
    public SshWriter Strings(IEnumerable<string> values)
    {
        var inner = new SshWriter();
        foreach (var value in values) inner.String(value);
        return String(inner.ToArray());
    }

    public byte[] ToArray() => _buffer.ToArray();
}

/// <summary>Reads the SSH wire encoding; every read past the end or with an impossible length throws <see cref="FormatException"/>.</summary>
public sealed class SshReader(ReadOnlyMemory<byte> data)
{
    private int _position;

    public bool AtEnd => _position == data.Length;

    public uint UInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public ulong UInt64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));

    public byte[] String()
    {
        var length = UInt32();
        if (length > data.Length - _position)
            throw new FormatException($"a string of {length} bytes at offset {_position} runs past the end ({data.Length} bytes)");
        return Take((int)length).ToArray();
    }

    public string Text() => Encoding.UTF8.GetString(String());

    /// <summary>The strings packed into one string.</summary>
    public IReadOnlyList<string> Strings()
    {
        var inner = new SshReader(String());
        var values = new List<string>();
        while (!inner.AtEnd) values.Add(inner.Text());
        return values;
    }

    /// <summary>Name/data pairs packed into one string (critical options, extensions): the data is itself a string.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> Pairs()
    {
        var inner = new SshReader(String());
        var pairs = new List<KeyValuePair<string, byte[]>>();
        while (!inner.AtEnd) pairs.Add(new(inner.Text(), inner.String()));
        return pairs;
    }

    public void ExpectEnd(string what)
    {
        if (!AtEnd) throw new FormatException($"{what} has {data.Length - _position} bytes after its last field");
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > data.Length - _position)
            throw new FormatException($"{count} bytes wanted at offset {_position}, but only {data.Length - _position} are left");
        var span = data.Span.Slice(_position, count);
        _position += count;
        return span;
    }
}
