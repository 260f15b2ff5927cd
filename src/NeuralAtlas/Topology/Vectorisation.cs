namespace NeuralAtlas.Topology;

/// <summary>
/// Fixed-size summaries of persistence diagrams, sampled on evenly spaced grids (numpy's linspace, endpoints
/// included), with GUDHI's conventions where GUDHI has them (gudhi.representations). Essential classes are
/// ignored unless stated: they have no finite summary.
/// </summary>
public static class Vectorisation
{
    /// <summary>lo, lo + h, …, hi with <paramref name="count"/> points (numpy.linspace).</summary>
    public static double[] Grid(double lo, double hi, int count)
    {
        if (count < 1) throw new AtlasArgumentException("resolution", $"must be at least 1, got {count}");
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || hi < lo) throw new AtlasArgumentException("range", $"expected finite lo ≤ hi, got [{lo}, {hi}]");
        var g = new double[count];
        if (count == 1) { g[0] = lo; return g; }
        double step = (hi - lo) / (count - 1);
        for (int i = 0; i < count; i++) g[i] = lo + i * step;
        g[count - 1] = hi;
        return g;
    }

    /// <summary>
    /// β(t) = #{intervals with b ≤ t &lt; d} at each grid point; essential classes count (they never die).
    /// </summary>
    public static int[] BettiCurve(PersistenceDiagram diagram, IReadOnlyList<double> grid)
    {
        var r = new int[grid.Count];
        for (int i = 0; i < grid.Count; i++)
        {
            double t = grid[i];
            int c = 0;
            foreach (var iv in diagram.Intervals) if (iv.Birth <= t && t < iv.Death) c++;
            r[i] = c;
        }
        return r;
    }

    /// <summary>
    /// Persistence landscapes (Bubenik 2015): λ_k(t) = the k-th largest of max(0, min(t − b, d − t)), for
    /// k = 1..<paramref name="count"/>, concatenated (λ_1 on the grid, then λ_2, …). GUDHI's Landscape returns √2
    /// times these values (it measures the tents in rotated coordinates); this follows the paper.
    /// </summary>
    public static double[] Landscapes(PersistenceDiagram diagram, int count, IReadOnlyList<double> grid)
    {
        if (count < 1) throw new AtlasArgumentException("count", $"must be at least 1, got {count}");
        var finite = diagram.Finite.ToArray();
        var r = new double[count * grid.Count];
        var tents = new double[finite.Length];
        for (int g = 0; g < grid.Count; g++)
        {
            double t = grid[g];
            for (int i = 0; i < finite.Length; i++) tents[i] = Math.Max(0, Math.Min(t - finite[i].Birth, finite[i].Death - t));
            Array.Sort(tents);
            for (int k = 0; k < count && k < tents.Length; k++) r[k * grid.Count + g] = tents[tents.Length - 1 - k];
        }
        return r;
    }

    /// <summary>
    /// Persistence image (Adams et al. 2017): each point (b, d) moves to (b, p = d − b) and contributes
    /// w(b, p)·N((x, y); (b, p), σ²I) evaluated at the pixel grid x ∈ linspace(xmin, xmax, nx),
    /// y ∈ linspace(ymin, ymax, ny); returned row by row in y (index y·nx + x), as GUDHI's PersistenceImage.
    /// The default weight is the persistence p (zero on the diagonal, as the stability theorem needs).
    /// </summary>
    public static double[] PersistenceImage(PersistenceDiagram diagram, double bandwidth, int nx, int ny,
        double xmin, double xmax, double ymin, double ymax, Func<double, double, double>? weight = null)
    {
        if (!(bandwidth > 0)) throw new AtlasArgumentException("bandwidth", $"must be positive, got {bandwidth}");
        weight ??= (_, p) => p;
        var xs = Grid(xmin, xmax, nx);
        var ys = Grid(ymin, ymax, ny);
        var img = new double[nx * ny];
        double s2 = 2 * bandwidth * bandwidth;
        double norm = 1 / (Math.PI * s2);
        foreach (var iv in diagram.Finite)
        {
            double b = iv.Birth, p = iv.Death - iv.Birth;
            double w = weight(b, p) * norm;
            for (int y = 0; y < ny; y++)
            {
                double dy = p - ys[y];
                double ey = Math.Exp(-dy * dy / s2);
                for (int x = 0; x < nx; x++)
                {
                    double dx = b - xs[x];
                    img[y * nx + x] += w * Math.Exp(-dx * dx / s2) * ey;
                }
            }
        }
        return img;
    }

    /// <summary>
    /// Sliced Wasserstein distance (Carrière, Cuturi, Oudot 2017) as GUDHI computes it: for each of
    /// <paramref name="directions"/> angles θ evenly spaced in [−π/2, π/2) project A ∪ π_Δ(B) and B ∪ π_Δ(A)
    /// (π_Δ the diagonal projection) on (cos θ, sin θ), sort, take the L1 distance; average over θ.
    /// Finite points only.
    /// </summary>
    public static double SlicedWasserstein(PersistenceDiagram a, PersistenceDiagram b, int directions = 10)
    {
        if (directions < 1) throw new AtlasArgumentException("directions", $"must be at least 1, got {directions}");
        var fa = a.Finite.ToArray();
        var fb = b.Finite.ToArray();
        int n = fa.Length + fb.Length;
        var pa = new double[n];
        var pb = new double[n];
        double total = 0;
        for (int k = 0; k < directions; k++)
        {
            double theta = -Math.PI / 2 + k * Math.PI / directions;
            double c = Math.Cos(theta), s = Math.Sin(theta);
            int ia = 0, ib = 0;
            foreach (var p in fa)
            {
                pa[ia++] = p.Birth * c + p.Death * s;
                double m = (p.Birth + p.Death) / 2;
                pb[ib++] = m * c + m * s;
            }
            foreach (var p in fb)
            {
                pb[ib++] = p.Birth * c + p.Death * s;
                double m = (p.Birth + p.Death) / 2;
                pa[ia++] = m * c + m * s;
            }
            Array.Sort(pa);
            Array.Sort(pb);
            double l1 = 0;
            for (int i = 0; i < n; i++) l1 += Math.Abs(pa[i] - pb[i]);
            total += l1;
        }
        return total / directions;
    }

    /// <summary>
    /// The sliced Wasserstein kernel exp(−SW(a, b) / bandwidth), as GUDHI's SlicedWassersteinKernel computes it;
    /// the paper's exp(−SW / (2σ²)) is bandwidth = 2σ².
    /// </summary>
    public static double SlicedWassersteinKernel(PersistenceDiagram a, PersistenceDiagram b, double bandwidth = 1, int directions = 10)
    {
        if (!(bandwidth > 0)) throw new AtlasArgumentException("bandwidth", $"must be positive, got {bandwidth}");
        return Math.Exp(-SlicedWasserstein(a, b, directions) / bandwidth);
    }

    /// <summary>All pairwise sliced Wasserstein distances of a list of diagrams (symmetric, zero diagonal).</summary>
    public static double[,] SlicedWassersteinMatrix(IReadOnlyList<PersistenceDiagram> diagrams, int directions = 10)
    {
        int k = diagrams.Count;
        var m = new double[k, k];
        for (int i = 0; i < k; i++)
            for (int j = 0; j < i; j++) m[i, j] = m[j, i] = SlicedWasserstein(diagrams[i], diagrams[j], directions);
        return m;
    }
}
