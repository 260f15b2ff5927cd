namespace NeuralAtlas.Onnx;

/// <summary>
/// Walks the protobuf wire format of an ONNX file (tags, varints, length-delimited fields) to find the byte offset
/// and the field where a corrupt or truncated file first goes wrong; Google.Protobuf's own errors carry no offset.
/// Only used after a parse has failed, to make the error precise.
/// </summary>
internal static class ProtoWire
{
    // Which length-delimited fields of each message are themselves messages (field number → message name).
    private static readonly Dictionary<string, Dictionary<int, string>> Nested = new()
    {
        ["ModelProto"] = new() { [7] = "GraphProto", [8] = "OperatorSetIdProto", [14] = "StringStringEntryProto" },
        ["GraphProto"] = new() { [1] = "NodeProto", [5] = "TensorProto", [11] = "ValueInfoProto", [12] = "ValueInfoProto", [13] = "ValueInfoProto" },
        ["NodeProto"] = new() { [5] = "AttributeProto" },
        ["AttributeProto"] = new() { [5] = "TensorProto", [6] = "GraphProto", [10] = "TensorProto", [11] = "GraphProto" },
        ["TensorProto"] = new() { [13] = "StringStringEntryProto" },
    };

    /// <summary>The first problem as (offset, description), or null when the wire format is sound.</summary>
    public static (long Offset, string Problem)? FindProblem(ReadOnlySpan<byte> b) => Walk(b, 0, b.Length, "ModelProto", "ModelProto", 0);

    private static (long, string)? Walk(ReadOnlySpan<byte> b, int start, int end, string message, string path, int depth)
    {
        if (depth > 64) return (start, $"{path}: messages nested deeper than 64 levels");
        int pos = start;
        while (pos < end)
        {
            int tagAt = pos;
            if (!Varint(b, ref pos, end, out ulong tag)) return (tagAt, $"{path}: a field tag (varint) but the data ends at offset {end}");
            int field = (int)(tag >> 3), wire = (int)(tag & 7);
            if (field == 0) return (tagAt, $"{path}: a field number above 0 in the tag");
            switch (wire)
            {
                case 0:
                    if (!Varint(b, ref pos, end, out _)) return (tagAt, $"{path} field {field}: a varint value but the data ends at offset {end}");
                    break;
                case 1:
                    if (end - pos < 8) return (tagAt, $"{path} field {field}: 8 bytes of a fixed64 value but only {end - pos} remain");
                    pos += 8;
                    break;
                case 5:
                    if (end - pos < 4) return (tagAt, $"{path} field {field}: 4 bytes of a fixed32 value but only {end - pos} remain");
                    pos += 4;
                    break;
                case 2:
                    int lenAt = pos;
                    if (!Varint(b, ref pos, end, out ulong len)) return (lenAt, $"{path} field {field}: a length (varint) but the data ends at offset {end}");
                    if (len > (ulong)(end - pos))
                        return (lenAt, $"{path} field {field}: {len} bytes as its length says, but only {end - pos} remain in the enclosing message (truncated file or lying length)");
                    int inner = pos, innerEnd = pos + (int)len;
                    if (Nested.TryGetValue(message, out var fields) && fields.TryGetValue(field, out var child))
                    {
                        var p = Walk(b, inner, innerEnd, child, $"{path}.{field} ({child})", depth + 1);
                        if (p is not null) return p;
                    }
                    pos = innerEnd;
                    break;
                default:
                    return (tagAt, $"{path} field {field}: a known wire type (0, 1, 2 or 5), got {wire}");
            }
        }
        return null;
    }

    private static bool Varint(ReadOnlySpan<byte> b, ref int pos, int end, out ulong v)
    {
        v = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (pos >= end) return false;
            byte x = b[pos++];
            v |= (ulong)(x & 0x7F) << shift;
            if ((x & 0x80) == 0) return true;
        }
        return false;
    }
}
