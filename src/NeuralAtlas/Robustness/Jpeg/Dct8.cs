namespace NeuralAtlas.Robustness.Jpeg;

/// <summary>The 8×8 type-II forward DCT of the encoder, separable, in double precision (the decoder uses <see cref="IntegerIdct"/>).</summary>
internal static class Dct8
{
    private static readonly double[,] C = Build();

    private static double[,] Build()
    {
        var c = new double[8, 8];
        for (int u = 0; u < 8; u++)
            for (int x = 0; x < 8; x++)
                c[u, x] = (u == 0 ? Math.Sqrt(0.125) : 0.5) * Math.Cos((2 * x + 1) * u * Math.PI / 16);
        return c;
    }

    /// <summary>F(u,v) = ¼ C(u) C(v) Σ f(x,y) cos(...) cos(...), natural order in and out.</summary>
    public static void Forward(ReadOnlySpan<double> f, Span<double> result)
    {
        Span<double> tmp = stackalloc double[64];
        for (int y = 0; y < 8; y++)
            for (int u = 0; u < 8; u++)
            {
                double s = 0;
                for (int x = 0; x < 8; x++) s += C[u, x] * f[y * 8 + x];
                tmp[y * 8 + u] = s;
            }
        for (int v = 0; v < 8; v++)
            for (int u = 0; u < 8; u++)
            {
                double s = 0;
                for (int y = 0; y < 8; y++) s += C[v, y] * tmp[y * 8 + u];
                result[v * 8 + u] = s;
            }
    }
}
