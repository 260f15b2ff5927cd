namespace NeuralAtlas.Robustness.Jpeg;

/// <summary>
/// Baseline JPEG encoder (T.81, JFIF): RGB → YCbCr, 8×8 DCT, quantisation with the Annex K tables scaled by quality
/// as the IJG library does, and Huffman coding with the Annex K tables. No chroma subsampling (4:4:4), so the
/// round trip depends on quality alone. Grayscale images are one component.
/// </summary>
public static class JpegEncoder
{
    /// <param name="pixels">Interleaved 8-bit samples, row-major, height × width × channels (1 or 3).</param>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels, int quality)
    {
        if (channels != 1 && channels != 3) throw new AtlasArgumentException("channels", $"JPEG encodes 1 or 3 channels, got {channels}");
        if (width <= 0 || height <= 0 || width > 65535 || height > 65535)
            throw new AtlasArgumentException("size", $"JPEG needs 1..65535 pixels per side, got {width}×{height}");
        if (pixels.Length != (long)width * height * channels)
            throw new ShapeMismatchException("jpeg encode", $"{width}×{height}×{channels} needs {(long)width * height * channels} samples, got {pixels.Length}");
        if (quality < 1 || quality > 100) throw new AtlasArgumentException("quality", $"must be in 1..100, got {quality}");

        var qLum = JpegTables.Scale(JpegTables.LuminanceQuant, quality);
        var qChr = JpegTables.Scale(JpegTables.ChrominanceQuant, quality);
        var dcL = new HuffmanTable(JpegTables.DcLumBits, JpegTables.DcLumVals);
        var acL = new HuffmanTable(JpegTables.AcLumBits, JpegTables.AcLumVals);
        var dcC = new HuffmanTable(JpegTables.DcChromBits, JpegTables.DcChromVals);
        var acC = new HuffmanTable(JpegTables.AcChromBits, JpegTables.AcChromVals);

        var ms = new MemoryStream();
        void Marker(int m) { ms.WriteByte(0xFF); ms.WriteByte((byte)m); }
        void U16(int v) { ms.WriteByte((byte)(v >> 8)); ms.WriteByte((byte)v); }

        Marker(0xD8); // SOI
        Marker(0xE0); U16(16); ms.Write("JFIF\0"u8); ms.WriteByte(1); ms.WriteByte(1); ms.WriteByte(0); U16(1); U16(1); ms.WriteByte(0); ms.WriteByte(0);
        WriteDqt(ms, 0, qLum);
        if (channels == 3) WriteDqt(ms, 1, qChr);
        Marker(0xC0); U16(8 + 3 * channels); ms.WriteByte(8); U16(height); U16(width); ms.WriteByte((byte)channels);
        for (int c = 0; c < channels; c++) { ms.WriteByte((byte)(c + 1)); ms.WriteByte(0x11); ms.WriteByte((byte)(c == 0 ? 0 : 1)); }
        WriteDht(ms, 0x00, dcL);
        WriteDht(ms, 0x10, acL);
        if (channels == 3) { WriteDht(ms, 0x01, dcC); WriteDht(ms, 0x11, acC); }
        Marker(0xDA); U16(6 + 2 * channels); ms.WriteByte((byte)channels);
        for (int c = 0; c < channels; c++) { ms.WriteByte((byte)(c + 1)); ms.WriteByte((byte)(c == 0 ? 0x00 : 0x11)); }
        ms.WriteByte(0); ms.WriteByte(63); ms.WriteByte(0);

        var planes = ToPlanes(pixels, width, height, channels);
        var bw = new BitWriter(ms);
        var prevDc = new int[channels];
        Span<double> block = stackalloc double[64];
        Span<double> coef = stackalloc double[64];
        Span<int> q = stackalloc int[64];
        int bxCount = (width + 7) / 8, byCount = (height + 7) / 8;
        for (int by = 0; by < byCount; by++)
            for (int bx = 0; bx < bxCount; bx++)
                for (int c = 0; c < channels; c++)
                {
                    // Edge blocks repeat the last row/column, which keeps the padding's spectrum smooth.
                    for (int y = 0; y < 8; y++)
                    {
                        int sy = Math.Min(by * 8 + y, height - 1);
                        for (int x = 0; x < 8; x++)
                            block[y * 8 + x] = planes[c][sy * width + Math.Min(bx * 8 + x, width - 1)] - 128.0;
                    }
                    Dct8.Forward(block, coef);
                    var table = c == 0 ? qLum : qChr;
                    for (int i = 0; i < 64; i++) q[i] = (int)Math.Round(coef[JpegTables.ZigZag[i]] / table[JpegTables.ZigZag[i]], MidpointRounding.AwayFromZero);
                    EncodeBlock(bw, q, ref prevDc[c], c == 0 ? dcL : dcC, c == 0 ? acL : acC);
                }
        bw.Flush();
        Marker(0xD9); // EOI
        return ms.ToArray();
    }

    private static double[][] ToPlanes(ReadOnlySpan<byte> px, int w, int h, int channels)
    {
        int n = w * h;
        var planes = new double[channels][];
        for (int c = 0; c < channels; c++) planes[c] = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (channels == 1) { planes[0][i] = px[i]; continue; }
            double r = px[3 * i], g = px[3 * i + 1], b = px[3 * i + 2];
            // Samples are stored as 8-bit YCbCr before the DCT, as libjpeg does, so both codecs quantise alike.
            planes[0][i] = Math.Round(0.299 * r + 0.587 * g + 0.114 * b, MidpointRounding.AwayFromZero);
            planes[1][i] = Math.Clamp(Math.Round(-0.168735892 * r - 0.331264108 * g + 0.5 * b + 128, MidpointRounding.AwayFromZero), 0, 255);
            planes[2][i] = Math.Clamp(Math.Round(0.5 * r - 0.418687589 * g - 0.081312411 * b + 128, MidpointRounding.AwayFromZero), 0, 255);
        }
        return planes;
    }

    private static void WriteDqt(Stream s, int id, int[] table)
    {
        s.WriteByte(0xFF); s.WriteByte(0xDB); s.WriteByte(0); s.WriteByte(67); s.WriteByte((byte)id);
        for (int i = 0; i < 64; i++) s.WriteByte((byte)table[JpegTables.ZigZag[i]]);
    }

    private static void WriteDht(Stream s, int classId, HuffmanTable t)
    {
        int len = 2 + 1 + 16 + t.Values.Length;
        s.WriteByte(0xFF); s.WriteByte(0xC4); s.WriteByte((byte)(len >> 8)); s.WriteByte((byte)len); s.WriteByte((byte)classId);
        s.Write(t.Bits);
        s.Write(t.Values);
    }

    private static int Category(int v)
    {
        v = Math.Abs(v);
        int n = 0;
        while (v > 0) { n++; v >>= 1; }
        return n;
    }

    private static void WriteValue(BitWriter bw, int v, int size)
    {
        if (size == 0) return;
        bw.Write(v >= 0 ? v : v + (1 << size) - 1, size);
    }

    private static void EncodeBlock(BitWriter bw, ReadOnlySpan<int> zz, ref int prevDc, HuffmanTable dc, HuffmanTable ac)
    {
        int diff = zz[0] - prevDc;
        prevDc = zz[0];
        int s = Category(diff);
        bw.Write(dc.Code[s], dc.Length[s]);
        WriteValue(bw, diff, s);
        int run = 0;
        for (int i = 1; i < 64; i++)
        {
            if (zz[i] == 0) { run++; continue; }
            while (run > 15) { bw.Write(ac.Code[0xF0], ac.Length[0xF0]); run -= 16; }
            int size = Category(zz[i]);
            int sym = (run << 4) | size;
            bw.Write(ac.Code[sym], ac.Length[sym]);
            WriteValue(bw, zz[i], size);
            run = 0;
        }
        if (run > 0) bw.Write(ac.Code[0x00], ac.Length[0x00]);
    }

    /// <summary>Entropy-coded bit output with JPEG's byte stuffing (0xFF → 0xFF 0x00) and 1-padding at the end.</summary>
    private sealed class BitWriter
    {
        private readonly Stream _s;
        private uint _acc;
        private int _n;
        public BitWriter(Stream s) { _s = s; }

        public void Write(int bits, int count)
        {
            for (int i = count - 1; i >= 0; i--)
            {
                _acc = (_acc << 1) | (uint)((bits >> i) & 1);
                if (++_n == 8) Emit();
            }
        }

        private void Emit()
        {
            byte b = (byte)_acc;
            _s.WriteByte(b);
            if (b == 0xFF) _s.WriteByte(0);
            _acc = 0;
            _n = 0;
        }

        public void Flush()
        {
            while (_n != 0) { _acc = (_acc << 1) | 1; if (++_n == 8) Emit(); }
        }
    }
}
