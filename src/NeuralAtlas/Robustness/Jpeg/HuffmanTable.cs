namespace NeuralAtlas.Robustness.Jpeg;

/// <summary>
/// A canonical Huffman table as JPEG defines it (code lengths 1..16 and symbols): code words for encoding, and the
/// maxcode/valptr arrays of T.81 F.2.2.3 for decoding.
/// </summary>
internal sealed class HuffmanTable
{
    public byte[] Bits { get; }   // count of codes of each length 1..16
    public byte[] Values { get; }
    public readonly ushort[] Code = new ushort[256];
    public readonly byte[] Length = new byte[256];
    private readonly int[] _maxCode = new int[18];
    private readonly int[] _valPtr = new int[17];
    private readonly int[] _minCode = new int[17];

    public HuffmanTable(byte[] bits, byte[] values)
    {
        Bits = bits;
        Values = values;
        int code = 0, k = 0;
        for (int len = 1; len <= 16; len++)
        {
            _valPtr[len] = k;
            _minCode[len] = code;
            for (int i = 0; i < bits[len - 1]; i++)
            {
                byte sym = values[k++];
                Code[sym] = (ushort)code;
                Length[sym] = (byte)len;
                code++;
            }
            _maxCode[len] = bits[len - 1] == 0 ? -1 : code - 1;
            code <<= 1;
        }
        _maxCode[17] = int.MaxValue;
    }

    /// <summary>Decodes one symbol; <paramref name="nextBit"/> returns the next bit of the entropy-coded data.</summary>
    public int Decode(Func<int> nextBit, out bool ok)
    {
        int code = 0;
        for (int len = 1; len <= 16; len++)
        {
            code = (code << 1) | nextBit();
            if (_maxCode[len] >= 0 && code <= _maxCode[len] && code >= _minCode[len])
            {
                ok = true;
                return Values[_valPtr[len] + code - _minCode[len]];
            }
        }
        ok = false;
        return 0;
    }
}
