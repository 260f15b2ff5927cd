namespace NeuralAtlas.Science.Haldane;

/// <summary>
/// The first Chern number of the line bundle of a Haldane pair, two independent ways.
/// <para>Convention: c₁ = (i/2π)∫ F_∇ for the connection ⟨ψ|dψ⟩ induced on the eigenline (the mathematicians'
/// c₁, and the sign shadtome/haldane-bundles integrates); equivalently c₁ = (1/2π)∫ dA with the physicists' Berry
/// connection A = i⟨ψ|dψ⟩, and the opposite of the Fukui–Hatsugai–Suzuki "(1/2πi)Σ ln U" number. With it the
/// pair F = sin x + i sin y, G = m + cos x + cos y has c₁ = +sign(m) for 0 &lt; |m| &lt; 2 and 0 for |m| &gt; 2,
/// and in general c₁ = −deg((Re F, Im F, G)/‖·‖), the eigenline along d being the pull-back of the tautological bundle.</para>
/// <para>(a) Chern–Weil: the curvature dA in two local gauges, ψ₊ = (R, F)/√(2RE) where G ≥ 0 (R = G + E,
/// E = √(G² + |F|²)) and ψ₋ = (F̄, S)/√(2ES) where G &lt; 0 (S = E − G), each smooth where it is used, integrated
/// by the midpoint rule with adaptive refinement around near-degenerate points, from the exact derivatives of F and G.</para>
/// <para>(b) Lattice (Fukui, Hatsugai, Suzuki 2005): link variables U = ⟨ψ(p)|ψ(p + e)⟩ of the normalised section
/// around each plaquette; the sum of the plaquette phases is 2π × an integer on any lattice fine enough that
/// neighbouring links never vanish, and equals minus the degree of (Re F, Im F, G)/‖·‖ : T² → S².</para>
/// </summary>
public static class ChernNumber
{
    /// <summary>The smallest grid the lattice method accepts: it must resolve frequency 4 with room to spare.</summary>
    public const int MinGrid = 4 * HaldanePair.MaxFrequency;

    /// <summary>Both estimates on an n×n grid; throws if the grid is too small or the bundle is singular there.</summary>
    public static (double ChernWeil, double Lattice) Compute(HaldanePair pair, int grid)
    {
        CheckGrid(grid, "grid");
        var f = HaldaneField.Sample(pair, grid);
        if (!TryChernWeil(f, 1, out double cw))
            throw new AtlasArgumentException("pair", $"F and G (nearly) vanish together at a point of the {grid}×{grid} grid: the line bundle is not defined there");
        if (!TryLattice(f, 1, out double lat))
            throw new AtlasArgumentException("grid", $"{grid}×{grid} is too coarse for the lattice method on this bundle (a link variable vanishes); use a finer grid");
        return (cw, lat);
    }

    public static void CheckGrid(int grid, string argument)
    {
        if (grid < MinGrid)
            throw new AtlasArgumentException(argument, $"grid {grid} is too small for the Chern number: the lattice (Fukui–Hatsugai–Suzuki) and Chern–Weil methods need at least {MinGrid} points per side to resolve Fourier frequency {HaldanePair.MaxFrequency}");
    }

    private static double Floor(HaldaneField f)
    {
        double amp = 0;
        for (int p = 0; p < f.G.Length; p++) amp = Math.Max(amp, Math.Abs(f.G[p]) + Math.Abs(f.FRe[p]) + Math.Abs(f.FIm[p]));
        return 1e-9 * Math.Max(amp, 1e-300);
    }

    /// <summary>
    /// Cells whose curvature varies on a scale finer than this many widths are refined: the curvature of the
    /// eigenline peaks where E = |(F, G)| is small, with width ≈ E/|∇(F, G)|.
    /// </summary>
    public const double ResolvedWidths = 1.5;

    /// <summary>Halvings allowed below the base grid before a near-degenerate point is declared unresolvable.</summary>
    public const int MaxRefinement = 20;

    /// <summary>
    /// Chern–Weil integral with the sub-grid of every <paramref name="stride"/>-th point (stride must divide N) as
    /// the base: the composite midpoint rule on its cells (on a periodic grid this is the trapezoid rule, spectrally
    /// accurate for smooth integrands), where each cell in which the curvature is not resolved
    /// (E &lt; <see cref="ResolvedWidths"/>·|∇(F, G)|·h) is split in four, recursively. False where E is
    /// (numerically) zero or a peak stays unresolved after <see cref="MaxRefinement"/> halvings.
    /// </summary>
    public static bool TryChernWeil(HaldaneField f, int stride, out double value)
    {
        value = 0;
        int n = f.N;
        if (stride < 1 || n % stride != 0) throw new AtlasArgumentException("stride", $"must divide the grid {n}, got {stride}");
        double floor = Floor(f);
        int m = n / stride;
        double h = 2 * Math.PI / m;
        var fTerms = f.Pair.FTerms();
        var gTerms = f.Pair.GTerms();
        double sum = 0;
        Span<double> v = stackalloc double[9];
        for (int i = 0; i < n; i += stride)
            for (int j = 0; j < n; j += stride)
            {
                int p = i * n + j;
                v[0] = f.FRe[p]; v[1] = f.FIm[p]; v[2] = f.G[p]; v[3] = f.FxRe[p]; v[4] = f.FxIm[p];
                v[5] = f.FyRe[p]; v[6] = f.FyIm[p]; v[7] = f.Gx[p]; v[8] = f.Gy[p];
                if (!Omega(v, floor, out double omega, out double e, out double grad)) return false;
                if (e >= ResolvedWidths * grad * h) sum += omega * h * h;
                else
                {
                    double x = 2 * Math.PI * i / n, y = 2 * Math.PI * j / n;
                    if (!Refine(fTerms, gTerms, x, y, h, 1, floor, ref sum)) return false;
                }
            }
        value = sum / (2 * Math.PI);
        return double.IsFinite(value);
    }

    private static bool Refine((int, int, double, double)[] fTerms, (int, int, double)[] gTerms, double x, double y, double h, int depth, double floor, ref double sum)
    {
        if (depth > MaxRefinement) return false;
        double q = h / 4, hh = h / 2;
        Span<double> v = stackalloc double[9];
        for (int a = -1; a <= 1; a += 2)
            for (int b = -1; b <= 1; b += 2)
            {
                double cx = x + a * q, cy = y + b * q;
                HaldaneField.EvaluateAt(fTerms, gTerms, cx, cy, v);
                if (!Omega(v, floor, out double omega, out double e, out double grad)) return false;
                if (e >= ResolvedWidths * grad * hh) sum += omega * hh * hh;
                else if (!Refine(fTerms, gTerms, cx, cy, hh, depth + 1, floor, ref sum)) return false;
            }
        return true;
    }

    /// <summary>
    /// The curvature Ω = ∂x A_y − ∂y A_x (A = i⟨ψ|dψ⟩) at a point from v = (Re F, Im F, G, Re F_x, Im F_x, Re F_y,
    /// Im F_y, G_x, G_y), in the gauge that is regular there; also E and the Frobenius norm of ∇(F, G).
    /// </summary>
    private static bool Omega(ReadOnlySpan<double> v, double floor, out double omega, out double e, out double grad)
    {
        double fr = v[0], fi = v[1], g = v[2], fxr = v[3], fxi = v[4], fyr = v[5], fyi = v[6], gx = v[7], gy = v[8];
        e = Math.Sqrt(g * g + fr * fr + fi * fi);
        grad = Math.Sqrt(fxr * fxr + fxi * fxi + fyr * fyr + fyi * fyi + gx * gx + gy * gy);
        omega = 0;
        if (!(e > floor)) return false;
        // P = F̄ F_x, Q = F̄ F_y.
        double pRe = fr * fxr + fi * fxi, pIm = fr * fxi - fi * fxr;
        double qRe = fr * fyr + fi * fyi, qIm = fr * fyi - fi * fyr;
        double cross = fxr * fyi - fxi * fyr; // Im(F̄_x F_y)
        double ex = (g * gx + pRe) / e, ey = (g * gy + qRe) / e;
        if (g >= 0)
        {
            // ψ₊ = (R, F)/√(2RE): A = −w Im(F̄ dF), w = 1/(2RE).
            double r = g + e, rx = gx + ex, ry = gy + ey;
            double w = 1 / (2 * r * e);
            double wx = -w * (rx / r + ex / e), wy = -w * (ry / r + ey / e);
            omega = -(wx * qIm - wy * pIm + 2 * w * cross);
        }
        else
        {
            // ψ₋ = (F̄, S)/√(2ES): A = +v Im(F̄ dF), v = 1/(2ES); A₋ − A₊ = d arg F.
            double s = e - g, sx = ex - gx, sy = ey - gy;
            double w = 1 / (2 * e * s);
            double wx = -w * (ex / e + sx / s), wy = -w * (ey / e + sy / s);
            omega = wx * qIm - wy * pIm + 2 * w * cross;
        }
        return double.IsFinite(omega);
    }

    /// <summary>
    /// Fukui–Hatsugai–Suzuki lattice Chern number on the sub-grid of every <paramref name="stride"/>-th point;
    /// false where the section is singular or a link variable (nearly) vanishes. The value is an integer up to
    /// rounding whenever it is returned.
    /// </summary>
    public static bool TryLattice(HaldaneField f, int stride, out double value)
    {
        value = 0;
        int n = f.N;
        if (stride < 1 || n % stride != 0) throw new AtlasArgumentException("stride", $"must divide the grid {n}, got {stride}");
        int m = n / stride;
        double floor = Floor(f);
        // Normalised section per lattice point, in whichever gauge is regular there (the lattice sum is gauge
        // invariant point by point, so mixing gauges is allowed).
        var ar = new double[m * m]; var ai = new double[m * m]; var br = new double[m * m]; var bi = new double[m * m];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
            {
                int p = i * stride * n + j * stride, q = i * m + j;
                double g = f.G[p], fr = f.FRe[p], fi = f.FIm[p];
                double e = Math.Sqrt(g * g + fr * fr + fi * fi);
                if (!(e > floor)) return false;
                if (g >= 0)
                {
                    double r = g + e, c = 1 / Math.Sqrt(2 * r * e);
                    ar[q] = r * c; ai[q] = 0; br[q] = fr * c; bi[q] = fi * c;
                }
                else
                {
                    double s = e - g, c = 1 / Math.Sqrt(2 * e * s);
                    ar[q] = fr * c; ai[q] = -fi * c; br[q] = s * c; bi[q] = 0;
                }
            }
        // Link variables U_x(q) = ⟨ψ_q|ψ_{q+x}⟩ and U_y(q) = ⟨ψ_q|ψ_{q+y}⟩, once per point.
        var uxr = new double[m * m]; var uxi = new double[m * m]; var uyr = new double[m * m]; var uyi = new double[m * m];
        const double tiny = 1e-12;
        for (int i = 0; i < m; i++)
        {
            int i1 = (i + 1) % m;
            for (int j = 0; j < m; j++)
            {
                int q = i * m + j, tx = i1 * m + j, ty = i * m + (j + 1) % m;
                double xr = ar[q] * ar[tx] + ai[q] * ai[tx] + br[q] * br[tx] + bi[q] * bi[tx];
                double xi = ar[q] * ai[tx] - ai[q] * ar[tx] + br[q] * bi[tx] - bi[q] * br[tx];
                double yr = ar[q] * ar[ty] + ai[q] * ai[ty] + br[q] * br[ty] + bi[q] * bi[ty];
                double yi = ar[q] * ai[ty] - ai[q] * ar[ty] + br[q] * bi[ty] - bi[q] * br[ty];
                if (xr * xr + xi * xi < tiny || yr * yr + yi * yi < tiny) return false;
                uxr[q] = xr; uxi[q] = xi; uyr[q] = yr; uyi[q] = yi;
            }
        }
        double sum = 0;
        for (int i = 0; i < m; i++)
        {
            int i1 = (i + 1) % m;
            for (int j = 0; j < m; j++)
            {
                int q00 = i * m + j, q10 = i1 * m + j, q01 = i * m + (j + 1) % m;
                // U_x(q00) U_y(q10) conj(U_x(q01)) conj(U_y(q00))
                double pr = uxr[q00] * uyr[q10] - uxi[q00] * uyi[q10], pi = uxr[q00] * uyi[q10] + uxi[q00] * uyr[q10];
                double cr = uxr[q01] * uyr[q00] - uxi[q01] * uyi[q00], ci = uxr[q01] * uyi[q00] + uxi[q01] * uyr[q00];
                // p · conj(c)
                sum += Math.Atan2(pi * cr - pr * ci, pr * cr + pi * ci);
            }
        }
        // U ≈ exp(−i A·dx), so the plaquette phase is −Ω·area.
        value = -sum / (2 * Math.PI);
        return true;
    }
}
