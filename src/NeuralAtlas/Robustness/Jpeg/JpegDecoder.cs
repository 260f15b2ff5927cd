namespace NeuralAtlas.Robustness.Jpeg;

/// <summary>A decoded JPEG: interleaved 8-bit samples, row-major height × width × channels.</summary>
public sealed record JpegImage(byte[] Pixels, int Width, int Height, int Channels);

/// <summary>
/// Baseline JPEG decoder (8-bit, Huffman, 1 or 3 components, any sampling factors, restart intervals).
/// The inverse DCT and colour conversion use libjpeg's integer arithmetic, so 4:4:4 files decode as libjpeg decodes
/// them. Subsampled chroma is upsampled by replication (libjpeg's "fancy" upsampling is not reproduced, so such
/// files can differ from libjpeg near colour edges).
/// Progressive and arithmetic-coded files are refused with a clear error.
/// </summary>
public static class JpegDecoder
{
    private sealed class Component
    {
        public int Id, H, V, Tq, Td, Ta, BlocksW, BlocksH, Pred;
        public short[] Coeffs = Array.Empty<short>();
    }

    public static JpegImage Decode(byte[] data, string source = "<jpeg>")
    {
        int pos = 0;
        AtlasFormatException Err(long at, string what) => new(source, at, what);
        int U8() { if (pos >= data.Length) throw Err(pos, "more bytes (file is truncated)"); return data[pos++]; }
        int U16() => (U8() << 8) | U8();

        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8) throw Err(0, "the JPEG start-of-image marker FF D8");
        pos = 2;
        var qt = new int[4][];
        var dc = new HuffmanTable?[4];
        var ac = new HuffmanTable?[4];
        Component[] comps = Array.Empty<Component>();
        int width = 0, height = 0, restart = 0, hmax = 1, vmax = 1;
        bool frame = false, scanned = false;

        while (!scanned)
        {
            int at = pos;
            if (U8() != 0xFF) throw Err(at, "a marker (FF xx)");
            int m = U8();
            while (m == 0xFF) m = U8();
            if (m == 0xD9) break;
            if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) continue;
            int segStart = pos, len = U16();
            if (len < 2 || segStart + len > data.Length) throw Err(segStart, $"a segment length that fits the file (marker FF {m:X2} says {len})");
            int end = segStart + len;
            switch (m)
            {
                case 0xDB:
                    while (pos < end)
                    {
                        int pq = U8();
                        if (pq >> 4 != 0) throw Err(pos - 1, "8-bit quantisation tables (16-bit tables are not baseline)");
                        var t = new int[64];
                        for (int i = 0; i < 64; i++) t[JpegTables.ZigZag[i]] = U8();
                        qt[pq & 3] = t;
                    }
                    break;
                case 0xC4:
                    while (pos < end)
                    {
                        int tc = U8();
                        var bits = new byte[16];
                        for (int i = 0; i < 16; i++) bits[i] = (byte)U8();
                        int count = bits.Sum(b => b);
                        if (count > 256 || pos + count > end) throw Err(pos, "a Huffman table with at most 256 symbols inside its segment");
                        var vals = data.AsSpan(pos, count).ToArray();
                        pos += count;
                        var table = new HuffmanTable(bits, vals);
                        if (tc >> 4 == 0) dc[tc & 3] = table; else ac[tc & 3] = table;
                    }
                    break;
                case 0xC0:
                case 0xC1:
                    {
                        if (U8() != 8) throw Err(pos - 1, "8-bit sample precision");
                        height = U16();
                        width = U16();
                        int n = U8();
                        if (width == 0 || height == 0) throw Err(pos - 5, "a non-zero image size (DNL markers are not supported)");
                        if (n != 1 && n != 3) throw Err(pos - 1, $"1 or 3 components, found {n}");
                        comps = new Component[n];
                        for (int i = 0; i < n; i++)
                        {
                            var c = new Component { Id = U8() };
                            int hv = U8();
                            c.H = hv >> 4; c.V = hv & 15; c.Tq = U8() & 3;
                            if (c.H is < 1 or > 4 || c.V is < 1 or > 4) throw Err(pos - 2, "sampling factors in 1..4");
                            comps[i] = c;
                        }
                        frame = true;
                        break;
                    }
                case 0xC2: case 0xC3: case 0xC5: case 0xC6: case 0xC7: case 0xC9: case 0xCA: case 0xCB: case 0xCD: case 0xCE: case 0xCF:
                    throw Err(at, $"a baseline JPEG (SOF0/SOF1); marker FF {m:X2} is progressive, lossless or arithmetic-coded, which is not supported");
                case 0xDD:
                    restart = U16();
                    break;
                case 0xDA:
                    {
                        if (!frame) throw Err(at, "a frame header (SOF) before the scan");
                        int ns = U8();
                        if (ns != comps.Length) throw Err(pos - 1, "one interleaved scan with all components");
                        for (int i = 0; i < ns; i++)
                        {
                            int id = U8(), t = U8();
                            var c = comps.FirstOrDefault(x => x.Id == id) ?? throw Err(pos - 2, $"a component id from the frame header (got {id})");
                            c.Td = t >> 4; c.Ta = t & 15;
                            if (c.Td > 3 || c.Ta > 3 || dc[c.Td] is null || ac[c.Ta] is null) throw Err(pos - 1, "Huffman tables defined before the scan");
                            if (qt[c.Tq] is null) throw Err(pos - 1, "quantisation tables defined before the scan");
                        }
                        pos = end;
                        hmax = comps.Max(c => c.H);
                        vmax = comps.Max(c => c.V);
                        pos = DecodeScan(data, pos, comps, dc!, ac!, width, height, hmax, vmax, restart, source);
                        while (pos + 1 < data.Length && data[pos] == 0xFF && data[pos + 1] == 0xFF) pos++;
                        if (pos + 1 >= data.Length || data[pos] != 0xFF || data[pos + 1] != 0xD9)
                            throw Err(pos, "the end-of-image marker FF D9 after the scan (file is truncated or has extra scans)");
                        scanned = true;
                        break;
                    }
            }
            if (!scanned) pos = end;
        }
        if (!scanned) throw Err(pos, "a scan (SOS) before the end of image");
        return Reconstruct(comps, qt, width, height, hmax, vmax);
    }

    private static int DecodeScan(byte[] data, int pos, Component[] comps, HuffmanTable?[] dc, HuffmanTable?[] ac,
        int width, int height, int hmax, int vmax, int restart, string source)
    {
        int mcuW = 8 * hmax, mcuH = 8 * vmax;
        int mcusX = (width + mcuW - 1) / mcuW, mcusY = (height + mcuH - 1) / mcuH;
        foreach (var c in comps)
        {
            c.BlocksW = mcusX * c.H;
            c.BlocksH = mcusY * c.V;
            c.Coeffs = new short[c.BlocksW * c.BlocksH * 64];
        }
        int acc = 0, nbits = 0;
        bool hitMarker = false;
        int NextBit()
        {
            if (nbits == 0)
            {
                if (hitMarker || pos >= data.Length) { acc = 0; nbits = 8; hitMarker = true; }
                else
                {
                    int b = data[pos];
                    if (b == 0xFF)
                    {
                        int nx = pos + 1 < data.Length ? data[pos + 1] : -1;
                        if (nx == 0) { pos += 2; acc = 0xFF; }
                        else { hitMarker = true; acc = 0; } // marker: feed zeros, the caller checks
                    }
                    else { pos++; acc = b; }
                    nbits = 8;
                }
            }
            nbits--;
            return (acc >> nbits) & 1;
        }
        int Receive(int s)
        {
            int v = 0;
            for (int i = 0; i < s; i++) v = (v << 1) | NextBit();
            return v;
        }
        int Extend(int v, int s) => s == 0 ? 0 : v < (1 << (s - 1)) ? v - (1 << s) + 1 : v;

        int total = mcusX * mcusY;
        for (int mcu = 0; mcu < total; mcu++)
        {
            if (restart > 0 && mcu > 0 && mcu % restart == 0)
            {
                nbits = 0;
                hitMarker = false;
                if (pos + 1 < data.Length && data[pos] == 0xFF && data[pos + 1] >= 0xD0 && data[pos + 1] <= 0xD7) pos += 2;
                else throw new AtlasFormatException(source, pos, "a restart marker (FF D0–D7)");
                foreach (var c in comps) c.Pred = 0;
            }
            int mx = mcu % mcusX, my = mcu / mcusX;
            foreach (var c in comps)
                for (int v = 0; v < c.V; v++)
                    for (int h = 0; h < c.H; h++)
                    {
                        int bxi = mx * c.H + h, byi = my * c.V + v;
                        var blk = c.Coeffs.AsSpan((byi * c.BlocksW + bxi) * 64, 64);
                        int s = dc[c.Td]!.Decode(NextBit, out bool ok);
                        if (!ok || s > 11) throw new AtlasFormatException(source, pos, "a valid DC Huffman code");
                        c.Pred += Extend(Receive(s), s);
                        blk[0] = (short)c.Pred;
                        for (int k = 1; k < 64;)
                        {
                            int rs = ac[c.Ta]!.Decode(NextBit, out ok);
                            if (!ok) throw new AtlasFormatException(source, pos, "a valid AC Huffman code");
                            int r = rs >> 4, sz = rs & 15;
                            if (sz == 0)
                            {
                                if (r == 15) { k += 16; continue; }
                                break;
                            }
                            k += r;
                            if (k > 63) throw new AtlasFormatException(source, pos, "AC coefficients within the 8×8 block");
                            blk[JpegTables.ZigZag[k]] = (short)Extend(Receive(sz), sz);
                            k++;
                        }
                    }
            if (hitMarker && mcu < total - 1 && !(restart > 0 && (mcu + 1) % restart == 0))
                throw new AtlasFormatException(source, pos, $"entropy-coded data for all {total} MCUs (data ends after MCU {mcu + 1})");
        }
        return pos;
    }

    private static JpegImage Reconstruct(Component[] comps, int[][] qt, int width, int height, int hmax, int vmax)
    {
        var planes = new byte[comps.Length][];
        Span<int> coef = stackalloc int[64];
        Span<byte> block = stackalloc byte[64];
        for (int ci = 0; ci < comps.Length; ci++)
        {
            var c = comps[ci];
            int pw = c.BlocksW * 8, ph = c.BlocksH * 8;
            var plane = new byte[pw * ph];
            var q = qt[c.Tq];
            for (int by = 0; by < c.BlocksH; by++)
                for (int bx = 0; bx < c.BlocksW; bx++)
                {
                    var blk = c.Coeffs.AsSpan((by * c.BlocksW + bx) * 64, 64);
                    for (int i = 0; i < 64; i++) coef[i] = blk[i] * q[i];
                    IntegerIdct.Inverse(coef, block);
                    for (int y = 0; y < 8; y++) block.Slice(y * 8, 8).CopyTo(plane.AsSpan((by * 8 + y) * pw + bx * 8, 8));
                }
            // Replicate subsampled components up to full resolution.
            var full = new byte[width * height];
            int sx = hmax / c.H, sy = vmax / c.V;
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++) full[y * width + x] = plane[(y / sy) * pw + x / sx];
            planes[ci] = full;
        }
        int n = width * height, ch = comps.Length;
        if (ch == 1) return new JpegImage(planes[0], width, height, 1);
        var px = new byte[n * 3];
        for (int i = 0; i < n; i++)
        {
            var (r, g, b) = IntegerIdct.YccToRgb(planes[0][i], planes[1][i], planes[2][i]);
            px[3 * i] = r;
            px[3 * i + 1] = g;
            px[3 * i + 2] = b;
        }
        return new JpegImage(px, width, height, 3);
    }
}
