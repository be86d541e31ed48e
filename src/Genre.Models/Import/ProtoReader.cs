namespace Genre.Models.Import;

/// <summary>One protobuf field: number, wire type, and either a varint/fixed value or a length-delimited payload.</summary>
internal readonly record struct ProtoField(int Number, int WireType, ulong Value, ReadOnlyMemory<byte> Bytes);

/// <summary>
/// Just enough of the protobuf wire format to read TF's BundleEntryProto and Keras' SavedMetadata. Every length is checked
/// against the bytes that remain; a message that breaks the format throws <see cref="InvalidDataException"/> (callers turn it
/// into an error naming the file).
/// </summary>
internal static class ProtoReader
{
    public static ulong Varint(ReadOnlySpan<byte> b, ref int i)
    {
        ulong r = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (i >= b.Length || shift > 63) throw new InvalidDataException("truncated varint");
            var c = b[i++];
            r |= (ulong)(c & 0x7f) << shift;
            if (c < 0x80) return r;
        }
    }

    public static IEnumerable<ProtoField> Fields(ReadOnlyMemory<byte> message)
    {
        var i = 0;
        while (i < message.Length)
        {
            var key = Varint(message.Span, ref i);
            var number = (int)(key >> 3);
            var type = (int)(key & 7);
            switch (type)
            {
                case 0: yield return new(number, type, Varint(message.Span, ref i), default); break;
                case 1:
                    if (message.Length - i < 8) throw new InvalidDataException("truncated 64-bit field");
                    yield return new(number, type, BitConverter.ToUInt64(message.Span.Slice(i, 8)), default);
                    i += 8;
                    break;
                case 5:
                    if (message.Length - i < 4) throw new InvalidDataException("truncated 32-bit field");
                    yield return new(number, type, BitConverter.ToUInt32(message.Span.Slice(i, 4)), default);
                    i += 4;
                    break;
                case 2:
                    var len = Varint(message.Span, ref i);
                    if (len > (ulong)(message.Length - i)) throw new InvalidDataException("truncated length-delimited field");
                    yield return new(number, type, 0, message.Slice(i, (int)len));
                    i += (int)len;
                    break;
                default: throw new InvalidDataException($"unsupported protobuf wire type {type}");
            }
        }
    }
}
