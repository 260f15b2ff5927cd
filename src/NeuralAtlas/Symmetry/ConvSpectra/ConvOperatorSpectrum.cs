namespace NeuralAtlas.Symmetry.ConvSpectra;

/// <summary>
/// Exact singular values of the linear operator a 2-D convolution applies to C_in × n × n inputs with circular
/// padding (Sedghi, Gupta and Long, "The singular values of convolutional layers", ICLR 2019). The 2-D DFT
/// block-diagonalises the operator: at frequency (u, v) it acts as the C_out × C_in matrix
/// P(u, v) = Σ_{p,q} K[:, :, p, q] e^{−2πi(up + vq)/n}, and the operator's singular values are the union over the n²
/// frequencies of those of P(u, v). With stride s (s divides n) the output is subsampled, which folds the s²
/// frequencies (u + a·n/s, v + b·n/s) together: the operator is block diagonal over the (n/s)² output frequencies
/// with blocks [P(u + a·n/s, v + b·n/s)]_{a,b} / s (C_out × s²·C_in). Padding offsets only multiply each block by
/// unimodular phases and do not change singular values; nor does cross-correlation vs convolution (conjugation).
/// </summary>
public static class ConvOperatorSpectrum
{
    /// <summary>All min(C_out·(n/s)², C_in·n²) singular values, descending.</summary>
    public static double[] SingularValues(ConvKernel k, int n, int stride = 1)
    {
        var perFrequency = PerFrequency(k, n, stride);
        var all = perFrequency.SelectMany(x => x).ToArray();
        Array.Sort(all);
        Array.Reverse(all);
        return all;
    }

    /// <summary>Singular values per output frequency (u·(n/s) + v), each descending.</summary>
    public static double[][] PerFrequency(ConvKernel k, int n, int stride = 1)
    {
        if (n < 1) throw new AtlasArgumentException("input-size", $"must be ≥ 1, got {n}");
        if (stride < 1 || n % stride != 0)
            throw new AtlasArgumentException("stride", $"stride {stride} must be ≥ 1 and divide the input size {n}");
        int co = k.OutChannels, ci = k.InChannels, kh = k.KernelHeight, kw = k.KernelWidth;
        // Twiddles e^{−2πi t/n}.
        var cos = new double[n];
        var sin = new double[n];
        for (int t = 0; t < n; t++) { cos[t] = Math.Cos(2 * Math.PI * t / n); sin[t] = -Math.Sin(2 * Math.PI * t / n); }
        // P[o, i] at every (u, v): stored as fr/fi[(u·n + v)·co·ci + o·ci + i].
        long total = (long)n * n * co * ci;
        if (total > 1L << 28) throw new AtlasArgumentException("input-size", $"the kernel's DFT would hold {n}²·{co}·{ci} = {total:N0} complex entries; too large");
        var fr = new double[total];
        var fi = new double[total];
        var tr = new double[kh * n];
        var ti = new double[kh * n];
        for (int o = 0; o < co; o++)
            for (int i = 0; i < ci; i++)
            {
                // Separable DFT: first along q (width), then along p (height).
                for (int p = 0; p < kh; p++)
                    for (int v = 0; v < n; v++)
                    {
                        double sr = 0, si = 0;
                        for (int q = 0; q < kw; q++)
                        {
                            double w = k[o, i, p, q];
                            int t = (int)((long)v * q % n);
                            sr += w * cos[t];
                            si += w * sin[t];
                        }
                        tr[p * n + v] = sr;
                        ti[p * n + v] = si;
                    }
                for (int u = 0; u < n; u++)
                    for (int v = 0; v < n; v++)
                    {
                        double sr = 0, si = 0;
                        for (int p = 0; p < kh; p++)
                        {
                            int t = (int)((long)u * p % n);
                            double ar = tr[p * n + v], ai = ti[p * n + v];
                            sr += ar * cos[t] - ai * sin[t];
                            si += ar * sin[t] + ai * cos[t];
                        }
                        long at = ((long)(u * n + v) * co + o) * ci + i;
                        fr[at] = sr;
                        fi[at] = si;
                    }
            }

        int m = n / stride, s2 = stride * stride, cols = s2 * ci;
        int g = Math.Min(co, cols);
        bool rowGram = co <= cols; // Gram on the smaller side: M Mᴴ (C_out²) or Mᴴ M (cols²)
        var result = new double[m * m][];
        var done = new bool[m * m];
        var mr = new double[co * cols];
        var mi = new double[co * cols];
        var gr = new double[g * g];
        var gi = new double[g * g];
        double scale = 1.0 / stride;
        for (int u = 0; u < m; u++)
            for (int v = 0; v < m; v++)
            {
                int f = u * m + v;
                if (done[f]) continue;
                // Assemble M = [P(u + a m, v + b m)]_{a,b} / s.
                for (int a = 0; a < stride; a++)
                    for (int b = 0; b < stride; b++)
                    {
                        long src = (long)((u + a * m) * n + (v + b * m)) * co * ci;
                        int blk = (a * stride + b) * ci;
                        for (int o = 0; o < co; o++)
                            for (int i = 0; i < ci; i++)
                            {
                                mr[o * cols + blk + i] = fr[src + o * ci + i] * scale;
                                mi[o * cols + blk + i] = fi[src + o * ci + i] * scale;
                            }
                    }
                Gram(mr, mi, co, cols, rowGram, gr, gi);
                var ev = HermitianEigenvalues.Compute(gr, gi, g);
                var sv = new double[g];
                for (int j = 0; j < g; j++) sv[j] = Math.Sqrt(Math.Max(ev[g - 1 - j], 0));
                result[f] = sv;
                done[f] = true;
                // A real kernel has P(−u, −v) = conj P(u, v): the mirrored output frequency has the same singular values.
                int fm = ((m - u) % m) * m + (m - v) % m;
                if (!done[fm]) { result[fm] = sv; done[fm] = true; }
            }
        return result;
    }

    private static void Gram(double[] mr, double[] mi, int rows, int cols, bool rowGram, double[] gr, double[] gi)
    {
        if (rowGram)
        {
            // G = M Mᴴ: G[a, b] = Σ_j M[a, j] conj(M[b, j])
            for (int a = 0; a < rows; a++)
                for (int b = a; b < rows; b++)
                {
                    double sr = 0, si = 0;
                    int ra = a * cols, rb = b * cols;
                    for (int j = 0; j < cols; j++)
                    {
                        sr += mr[ra + j] * mr[rb + j] + mi[ra + j] * mi[rb + j];
                        si += mi[ra + j] * mr[rb + j] - mr[ra + j] * mi[rb + j];
                    }
                    gr[a * rows + b] = sr; gi[a * rows + b] = si;
                    gr[b * rows + a] = sr; gi[b * rows + a] = -si;
                }
        }
        else
        {
            // G = Mᴴ M: G[a, b] = Σ_o conj(M[o, a]) M[o, b]
            Array.Clear(gr, 0, cols * cols);
            Array.Clear(gi, 0, cols * cols);
            for (int o = 0; o < rows; o++)
            {
                int ro = o * cols;
                for (int a = 0; a < cols; a++)
                {
                    double ar = mr[ro + a], ai = mi[ro + a];
                    for (int b = a; b < cols; b++)
                    {
                        gr[a * cols + b] += ar * mr[ro + b] + ai * mi[ro + b];
                        gi[a * cols + b] += ar * mi[ro + b] - ai * mr[ro + b];
                    }
                }
            }
            for (int a = 0; a < cols; a++)
                for (int b = a + 1; b < cols; b++) { gr[b * cols + a] = gr[a * cols + b]; gi[b * cols + a] = -gi[a * cols + b]; }
        }
    }
}
