using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.IO;

/// <summary>
/// PNG reading and writing on .NET's zlib (<see cref="ZLibStream"/>), following the W3C PNG specification.
/// Reads gray, gray+alpha, RGB, RGBA and palette images (bit depths 1–16 where the spec allows them; 16-bit
/// samples are rounded to 8 bits, low-depth gray scaled to 0–255), with tRNS transparency, all five row filters,
/// every chunk's CRC checked and the zlib stream's Adler-32 checked. Adam7-interlaced images are refused with an
/// error naming it. Writes 8-bit gray, gray+alpha, RGB or RGBA, choosing each row's filter adaptively.
/// </summary>
public static class Png
{
    private static readonly byte[] Signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    /// <summary>Refuse images whose decoded size would exceed this many bytes (a lying IHDR must not allocate gigabytes).</summary>
    public const long MaxDecodedBytes = 1L << 30;

    public static PngImage Read(string path) => Parse(File.ReadAllBytes(path), path);

    public static PngImage Parse(ReadOnlySpan<byte> b, string name)
    {
        for (int i = 0; i < Signature.Length; i++)
        {
            if (i >= b.Length) throw new AtlasFormatException(name, i, "the 8-byte PNG signature 89 50 4E 47 0D 0A 1A 0A (file is truncated)");
            if (b[i] != Signature[i]) throw new AtlasFormatException(name, i, $"the PNG signature 89 50 4E 47 0D 0A 1A 0A (byte {i} is {b[i]:X2})");
        }
        long pos = 8;
        Header? h = null;
        byte[]? palette = null;
        byte[]? trns = null;
        var idat = new MemoryStream();
        long firstIdat = -1;
        bool idatDone = false, ended = false;
        while (!ended)
        {
            if (pos + 8 > b.Length) throw new AtlasFormatException(name, pos, pos == b.Length ? "another chunk (the IEND chunk is missing)" : "a chunk's 4-byte length and 4-byte type (file is truncated)");
            uint len = BinaryPrimitives.ReadUInt32BigEndian(b[(int)pos..]);
            if (len > int.MaxValue) throw new AtlasFormatException(name, pos, $"a chunk length below 2^31, got {len}");
            var typeBytes = b.Slice((int)pos + 4, 4);
            foreach (byte c in typeBytes)
                if (!char.IsAsciiLetter((char)c)) throw new AtlasFormatException(name, pos + 4, "a chunk type of four ASCII letters");
            string type = Encoding.ASCII.GetString(typeBytes);
            if (pos + 12 + len > b.Length)
                throw new AtlasFormatException(name, b.Length, $"{len} data bytes and a CRC for chunk '{type}' at offset {pos}, but the file ends first");
            var data = b.Slice((int)pos + 8, (int)len);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(b[(int)(pos + 8 + len)..]);
            uint actual = Crc32.Compute(b.Slice((int)pos + 4, (int)len + 4));
            if (stored != actual) throw new AtlasFormatException(name, pos + 8 + len, $"CRC-32 {actual:X8} of chunk '{type}', found {stored:X8}");
            if (h is null && type != "IHDR") throw new AtlasFormatException(name, pos + 4, $"the IHDR chunk first, found '{type}'");
            if (idat.Length > 0 && type != "IDAT") idatDone = true;
            switch (type)
            {
                case "IHDR":
                    if (h is not null) throw new AtlasFormatException(name, pos + 4, "a single IHDR chunk");
                    h = ParseHeader(data, name, pos + 8);
                    break;
                case "PLTE":
                    if (palette is not null) throw new AtlasFormatException(name, pos + 4, "a single PLTE chunk");
                    if (idat.Length > 0) throw new AtlasFormatException(name, pos + 4, "PLTE before the first IDAT");
                    if (len % 3 != 0 || len == 0 || len > 768) throw new AtlasFormatException(name, pos, $"a PLTE length that is a multiple of 3 up to 768, got {len}");
                    if (h!.ColorType == 3 && len / 3 > 1 << h.BitDepth)
                        throw new AtlasFormatException(name, pos, $"at most {1 << h.BitDepth} palette entries for bit depth {h.BitDepth}, got {len / 3}");
                    palette = data.ToArray();
                    break;
                case "tRNS":
                    if (idat.Length > 0) throw new AtlasFormatException(name, pos + 4, "tRNS before the first IDAT");
                    long need = h!.ColorType switch { 0 => 2, 2 => 6, 3 => -1, _ => -2 };
                    if (need == -2) throw new AtlasFormatException(name, pos + 4, $"no tRNS chunk in a colour type {h.ColorType} image (it has an alpha channel)");
                    if (need == -1)
                    {
                        if (palette is null) throw new AtlasFormatException(name, pos + 4, "PLTE before tRNS in a palette image");
                        if (len > palette.Length / 3) throw new AtlasFormatException(name, pos, $"at most {palette.Length / 3} tRNS entries (one per palette entry), got {len}");
                    }
                    else if (len != need) throw new AtlasFormatException(name, pos, $"a {need}-byte tRNS chunk for colour type {h.ColorType}, got {len}");
                    trns = data.ToArray();
                    break;
                case "IDAT":
                    if (idatDone) throw new AtlasFormatException(name, pos + 4, "consecutive IDAT chunks (another chunk came between them)");
                    if (firstIdat < 0) firstIdat = pos;
                    idat.Write(data);
                    break;
                case "IEND":
                    ended = true;
                    break;
                default:
                    // Lower-case first letter = ancillary (safe to skip); upper-case = critical, which we must understand.
                    if (char.IsAsciiLetterUpper(type[0])) throw new AtlasFormatException(name, pos + 4, $"a known critical chunk (IHDR, PLTE, IDAT, IEND), not '{type}'");
                    break;
            }
            pos += 12 + len;
        }
        if (firstIdat < 0) throw new AtlasFormatException(name, pos - 12, "at least one IDAT chunk before IEND");
        if (h!.ColorType == 3 && palette is null) throw new AtlasFormatException(name, firstIdat, "a PLTE chunk before IDAT in a palette image");

        int rowBytes = (int)((h.Width * (long)h.BitsPerPixel + 7) / 8);
        long rawLen = (long)h.Height * (rowBytes + 1);
        byte[] raw = Inflate(idat, name, firstIdat, rawLen);
        Unfilter(raw, h, rowBytes, name, firstIdat);
        return Expand(raw, h, rowBytes, palette, trns, name, firstIdat);
    }

    private sealed record Header(int Width, int Height, int BitDepth, int ColorType, int Samples)
    {
        public int BitsPerPixel => BitDepth * Samples;
        public int Bpp => Math.Max(1, BitsPerPixel / 8);
    }

    private static Header ParseHeader(ReadOnlySpan<byte> d, string name, long at)
    {
        if (d.Length != 13) throw new AtlasFormatException(name, at - 8, $"a 13-byte IHDR chunk, got {d.Length}");
        uint w = BinaryPrimitives.ReadUInt32BigEndian(d), hgt = BinaryPrimitives.ReadUInt32BigEndian(d[4..]);
        if (w == 0 || w > int.MaxValue) throw new AtlasFormatException(name, at, $"an image width in [1, 2^31), got {w}");
        if (hgt == 0 || hgt > int.MaxValue) throw new AtlasFormatException(name, at + 4, $"an image height in [1, 2^31), got {hgt}");
        int depth = d[8], ct = d[9];
        int samples = ct switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => 0 };
        if (samples == 0) throw new AtlasFormatException(name, at + 9, $"a colour type 0, 2, 3, 4 or 6, got {ct}");
        bool okDepth = ct switch
        {
            0 => depth is 1 or 2 or 4 or 8 or 16,
            3 => depth is 1 or 2 or 4 or 8,
            _ => depth is 8 or 16,
        };
        if (!okDepth) throw new AtlasFormatException(name, at + 8, $"a bit depth allowed for colour type {ct}, got {depth}");
        if (d[10] != 0) throw new AtlasFormatException(name, at + 10, $"compression method 0 (deflate), got {d[10]}");
        if (d[11] != 0) throw new AtlasFormatException(name, at + 11, $"filter method 0, got {d[11]}");
        if (d[12] == 1) throw new AtlasFormatException(name, at + 12, "a non-interlaced image: Adam7 interlacing is not supported (re-save the image without interlacing)");
        if (d[12] != 0) throw new AtlasFormatException(name, at + 12, $"interlace method 0, got {d[12]}");
        int outChannels = ct == 3 ? 4 : samples;
        if ((long)w * hgt * outChannels > MaxDecodedBytes) throw new AtlasFormatException(name, at, $"an image under {MaxDecodedBytes} decoded bytes, not {w}×{hgt}×{outChannels}");
        return new Header((int)w, (int)hgt, depth, ct, samples);
    }

    private static byte[] Inflate(MemoryStream idat, string name, long at, long expected)
    {
        idat.Position = 0;
        var outBuf = new byte[expected];
        try
        {
            using var z = new ZLibStream(idat, CompressionMode.Decompress);
            int got = z.ReadAtLeast(outBuf, outBuf.Length, throwOnEndOfStream: false);
            if (got < expected) throw new AtlasFormatException(name, at, $"{expected} bytes of filtered image data in the IDAT stream, got {got}");
            Span<byte> probe = stackalloc byte[1];
            // Reading on to the end makes zlib verify the Adler-32 checksum; extra data is an error too.
            if (z.Read(probe) != 0) throw new AtlasFormatException(name, at, $"exactly {expected} bytes of filtered image data in the IDAT stream, found more");
        }
        catch (InvalidDataException e)
        {
            throw new AtlasFormatException(name, at, $"a valid zlib stream in the IDAT chunks ({e.Message})");
        }
        return outBuf;
    }

    private static void Unfilter(byte[] raw, Header h, int rowBytes, string name, long at)
    {
        int bpp = h.Bpp, stride = rowBytes + 1;
        for (int y = 0; y < h.Height; y++)
        {
            int row = y * stride + 1, prev = row - stride;
            byte f = raw[row - 1];
            switch (f)
            {
                case 0: break;
                case 1:
                    for (int i = bpp; i < rowBytes; i++) raw[row + i] += raw[row + i - bpp];
                    break;
                case 2:
                    if (y > 0) for (int i = 0; i < rowBytes; i++) raw[row + i] += raw[prev + i];
                    break;
                case 3:
                    for (int i = 0; i < rowBytes; i++)
                    {
                        int a = i >= bpp ? raw[row + i - bpp] : 0, up = y > 0 ? raw[prev + i] : 0;
                        raw[row + i] += (byte)((a + up) >> 1);
                    }
                    break;
                case 4:
                    for (int i = 0; i < rowBytes; i++)
                    {
                        int a = i >= bpp ? raw[row + i - bpp] : 0, up = y > 0 ? raw[prev + i] : 0, c = i >= bpp && y > 0 ? raw[prev + i - bpp] : 0;
                        raw[row + i] += Paeth(a, up, c);
                    }
                    break;
                default:
                    throw new AtlasFormatException(name, at, $"a filter type 0–4 at the start of row {y} of the decompressed image data, got {f}");
            }
        }
    }

    private static byte Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
    }

    private static PngImage Expand(byte[] raw, Header h, int rowBytes, byte[]? palette, byte[]? trns, string name, long at)
    {
        int w = h.Width, hh = h.Height, stride = rowBytes + 1;
        bool keyed = trns is not null && h.ColorType is 0 or 2;
        int outC = h.ColorType switch
        {
            3 => trns is not null ? 4 : 3,
            0 => keyed ? 2 : 1,
            2 => keyed ? 4 : 3,
            _ => h.Samples,
        };
        var px = new byte[(long)w * hh * outC];
        int maxV = (1 << h.BitDepth) - 1;
        for (int y = 0; y < hh; y++)
        {
            int row = y * stride + 1;
            for (int x = 0; x < w; x++)
            {
                long o = ((long)y * w + x) * outC;
                if (h.ColorType == 3 || (h.ColorType == 0 && h.BitDepth < 8))
                {
                    int v = h.BitDepth == 8 ? raw[row + x] : (raw[row + x * h.BitDepth / 8] >> (8 - h.BitDepth - x * h.BitDepth % 8)) & maxV;
                    if (h.ColorType == 3)
                    {
                        if (3 * v + 2 >= palette!.Length) throw new AtlasFormatException(name, at, $"palette indices below {palette.Length / 3}, pixel ({y}, {x}) has {v}");
                        px[o] = palette[3 * v]; px[o + 1] = palette[3 * v + 1]; px[o + 2] = palette[3 * v + 2];
                        if (outC == 4) px[o + 3] = v < trns!.Length ? trns[v] : (byte)255;
                    }
                    else
                    {
                        px[o] = (byte)(v * 255 / maxV);
                        if (keyed) px[o + 1] = v == BinaryPrimitives.ReadUInt16BigEndian(trns) ? (byte)0 : (byte)255;
                    }
                    continue;
                }
                int bytesPerSample = h.BitDepth / 8;
                int src = row + x * h.Samples * bytesPerSample;
                bool transparent = keyed;
                for (int s = 0; s < h.Samples; s++)
                {
                    int sample = bytesPerSample == 1 ? raw[src + s] : (raw[src + 2 * s] << 8) | raw[src + 2 * s + 1];
                    px[o + s] = bytesPerSample == 1 ? (byte)sample : (byte)((sample * 255 + 32767) / 65535);
                    if (keyed && sample != BinaryPrimitives.ReadUInt16BigEndian(trns.AsSpan(2 * s))) transparent = false;
                }
                if (keyed) px[o + h.Samples] = transparent ? (byte)0 : (byte)255;
            }
        }
        return new PngImage(w, hh, outC, px);
    }

    public static void Write(string path, Tensor image) => Write(path, PngImage.FromTensor(image));

    /// <param name="filter">Force one filter type (0 None, 1 Sub, 2 Up, 3 Average, 4 Paeth) for every row; null picks per row.</param>
    public static void Write(string path, PngImage img, int? filter = null) => AtomicFile.WriteAllBytes(path, Encode(img, filter));

    public static byte[] Encode(PngImage img, int? filter = null)
    {
        if (filter is < 0 or > 4) throw new AtlasArgumentException("filter", $"PNG filter types are 0–4, got {filter}");
        int c = img.Channels, w = img.Width, rowBytes = w * c;
        var filtered = new byte[(long)img.Height * (rowBytes + 1)];
        var cand = new byte[5][];
        for (int f = 0; f < 5; f++) cand[f] = new byte[rowBytes];
        for (int y = 0; y < img.Height; y++)
        {
            var cur = img.Pixels.AsSpan(y * rowBytes, rowBytes);
            var prev = y > 0 ? img.Pixels.AsSpan((y - 1) * rowBytes, rowBytes) : default;
            int best = filter ?? 0;
            long bestScore = long.MaxValue;
            for (int f = filter ?? 0; f <= (filter ?? 4); f++)
            {
                long score = 0;
                for (int i = 0; i < rowBytes; i++)
                {
                    int a = i >= c ? cur[i - c] : 0, up = y > 0 ? prev[i] : 0, ul = i >= c && y > 0 ? prev[i - c] : 0;
                    byte v = f switch
                    {
                        0 => cur[i],
                        1 => (byte)(cur[i] - a),
                        2 => (byte)(cur[i] - up),
                        3 => (byte)(cur[i] - ((a + up) >> 1)),
                        _ => (byte)(cur[i] - Paeth(a, up, ul)),
                    };
                    cand[f][i] = v;
                    // The usual heuristic: smallest sum of bytes read as signed values compresses best.
                    score += Math.Abs((int)(sbyte)v);
                }
                if (score < bestScore) { bestScore = score; best = f; }
            }
            long o = (long)y * (rowBytes + 1);
            filtered[o] = (byte)best;
            cand[best].CopyTo(filtered.AsSpan((int)o + 1));
        }
        byte[] z;
        using (var ms = new MemoryStream())
        {
            using (var zs = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true)) zs.Write(filtered);
            z = ms.ToArray();
        }
        var outStream = new MemoryStream();
        outStream.Write(Signature);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, w);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), img.Height);
        ihdr[8] = 8;
        ihdr[9] = c switch { 1 => 0, 2 => 4, 3 => 2, _ => 6 };
        WriteChunk(outStream, "IHDR", ihdr);
        for (int off = 0; off < z.Length || off == 0; off += 1 << 20)
        {
            WriteChunk(outStream, "IDAT", z.AsSpan(off, Math.Min(1 << 20, z.Length - off)));
            if (z.Length == 0) break;
        }
        WriteChunk(outStream, "IEND", ReadOnlySpan<byte>.Empty);
        return outStream.ToArray();
    }

    private static void WriteChunk(Stream s, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        Encoding.ASCII.GetBytes(type, head[4..]);
        s.Write(head);
        s.Write(data);
        uint crc = Crc32.Update(Crc32.Compute(head[4..]), data);
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        s.Write(tail);
    }
}
