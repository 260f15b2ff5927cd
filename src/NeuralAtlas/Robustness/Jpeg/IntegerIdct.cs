namespace NeuralAtlas.Robustness.Jpeg;

/// <summary>
/// The "islow" integer inverse DCT that libjpeg and libjpeg-turbo use by default (Loeffler–Ligtenberg–Moschytz
/// factorisation with 13-bit constants, two extra bits between passes), and libjpeg's fixed-point YCbCr → RGB.
/// Decoding with the same arithmetic makes our pixels agree with libjpeg's to the level on 4:4:4 files, so the
/// JPEG corruption looks exactly like one produced by the standard library.
/// </summary>
internal static class IntegerIdct
{
    private const int ConstBits = 13, Pass1Bits = 2;
    private const long F0298631336 = 2446, F0390180644 = 3196, F0541196100 = 4433, F0765366865 = 6270, F0899976223 = 7373,
        F1175875602 = 9633, F1501321110 = 12299, F1847759065 = 15137, F1961570560 = 16069, F2053119869 = 16819,
        F2562915447 = 20995, F3072711026 = 25172;

    private static long Descale(long x, int n) => (x + (1L << (n - 1))) >> n;

    /// <summary>Dequantised coefficients (natural order) to 8-bit samples (level shift and clamping included).</summary>
    public static void Inverse(ReadOnlySpan<int> coef, Span<byte> output)
    {
        Span<long> ws = stackalloc long[64];
        for (int c = 0; c < 8; c++)
        {
            Butterfly(coef[c], coef[8 + c], coef[16 + c], coef[24 + c], coef[32 + c], coef[40 + c], coef[48 + c], coef[56 + c],
                ConstBits - Pass1Bits, out long o0, out long o1, out long o2, out long o3, out long o4, out long o5, out long o6, out long o7);
            ws[c] = o0; ws[8 + c] = o1; ws[16 + c] = o2; ws[24 + c] = o3; ws[32 + c] = o4; ws[40 + c] = o5; ws[48 + c] = o6; ws[56 + c] = o7;
        }
        for (int r = 0; r < 8; r++)
        {
            int b = r * 8;
            Butterfly(ws[b], ws[b + 1], ws[b + 2], ws[b + 3], ws[b + 4], ws[b + 5], ws[b + 6], ws[b + 7],
                ConstBits + Pass1Bits + 3, out long o0, out long o1, out long o2, out long o3, out long o4, out long o5, out long o6, out long o7);
            output[b] = Limit(o0); output[b + 1] = Limit(o1); output[b + 2] = Limit(o2); output[b + 3] = Limit(o3);
            output[b + 4] = Limit(o4); output[b + 5] = Limit(o5); output[b + 6] = Limit(o6); output[b + 7] = Limit(o7);
        }
    }

    private static byte Limit(long v) => (byte)Math.Clamp(v + 128, 0, 255);

    private static void Butterfly(long i0, long i1, long i2, long i3, long i4, long i5, long i6, long i7, int shift,
        out long o0, out long o1, out long o2, out long o3, out long o4, out long o5, out long o6, out long o7)
    {
        // Even part.
        long z1 = (i2 + i6) * F0541196100;
        long tmp2 = z1 + i6 * -F1847759065;
        long tmp3 = z1 + i2 * F0765366865;
        long tmp0 = (i0 + i4) << ConstBits;
        long tmp1 = (i0 - i4) << ConstBits;
        long tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
        // Odd part.
        tmp0 = i7; tmp1 = i5; tmp2 = i3; tmp3 = i1;
        z1 = tmp0 + tmp3;
        long z2 = tmp1 + tmp2, z3 = tmp0 + tmp2, z4 = tmp1 + tmp3;
        long z5 = (z3 + z4) * F1175875602;
        tmp0 *= F0298631336;
        tmp1 *= F2053119869;
        tmp2 *= F3072711026;
        tmp3 *= F1501321110;
        z1 *= -F0899976223;
        z2 *= -F2562915447;
        z3 *= -F1961570560;
        z4 *= -F0390180644;
        z3 += z5;
        z4 += z5;
        tmp0 += z1 + z3;
        tmp1 += z2 + z4;
        tmp2 += z2 + z3;
        tmp3 += z1 + z4;
        o0 = Descale(tmp10 + tmp3, shift); o7 = Descale(tmp10 - tmp3, shift);
        o1 = Descale(tmp11 + tmp2, shift); o6 = Descale(tmp11 - tmp2, shift);
        o2 = Descale(tmp12 + tmp1, shift); o5 = Descale(tmp12 - tmp1, shift);
        o3 = Descale(tmp13 + tmp0, shift); o4 = Descale(tmp13 - tmp0, shift);
    }

    private const int ScaleBits = 16;
    private const long OneHalf = 1L << (ScaleBits - 1);
    private static long Fix(double x) => (long)(x * (1L << ScaleBits) + 0.5);

    /// <summary>libjpeg's fixed-point YCbCr → RGB for one pixel.</summary>
    public static (byte R, byte G, byte B) YccToRgb(int y, int cb, int cr)
    {
        long x = cr - 128, z = cb - 128;
        long r = y + ((Fix(1.40200) * x + OneHalf) >> ScaleBits);
        long g = y + ((-Fix(0.34414) * z + OneHalf + -Fix(0.71414) * x) >> ScaleBits);
        long b = y + ((Fix(1.77200) * z + OneHalf) >> ScaleBits);
        return ((byte)Math.Clamp(r, 0, 255), (byte)Math.Clamp(g, 0, 255), (byte)Math.Clamp(b, 0, 255));
    }
}
