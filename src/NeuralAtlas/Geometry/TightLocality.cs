using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Geometry;

/// <summary>
/// Tight local intrinsic dimensionality estimation (TLE; Amsaleg, Chelly, Houle, Kawarabayashi, Radovanović,
/// Treeratanajaru 2019). Inside the k-neighbourhood of q (radius r = r_k) every pair of neighbours (x_i, x_j) yields
/// two more distance samples from q's local distance distribution, s_ij and t_ij: the distances from the centre at
/// which the ball through x_j (and through the reflection of x_j in x_i) would be seen from x_i. Pooling the k
/// neighbour distances with those 2k(k − 1) samples in the Hill/MLE formula d̂ = −m / Σ log(sample / r) gives a
/// far less noisy estimate for the same k. Samples below ε are dropped, and the boundary cases of the paper (a
/// neighbour at distance r, at distance 0, coincident neighbours) are handled as in scikit-dimension.
/// </summary>
public static class TightLocality
{
    /// <summary>Default ε below which a distance sample is dropped (scikit-dimension's 1e−4).</summary>
    public const double DefaultEpsilon = 1e-4;

    public static double[] Pointwise(DMatrix points, KnnResult knn, int k, double epsilon = DefaultEpsilon)
    {
        LevinaBickel.Require(knn, k, "TLE");
        if (knn.Count != points.Rows) throw new ShapeMismatchException("TLE", $"{knn.Count} neighbour lists for {points.Rows} points");
        var result = new double[knn.Count];
        Tensors.Parallelism.For(0, knn.Count, i =>
        {
            var u = knn.DistanceRow(i)[..k].ToArray();
            var idx = knn.IndexRow(i)[..k].ToArray();
            var v = new double[k * k];
            for (int a = 0; a < k; a++)
                for (int b = a + 1; b < k; b++)
                    v[a * k + b] = v[b * k + a] = PairwiseDistances.Euclidean(points.Row(idx[a]), points.Row(idx[b]));
            double value = Local(u, v, epsilon);
            if (!double.IsFinite(value) || value <= 0) throw LevinaBickel.Degenerate(i, k, "TLE");
            result[i] = value;
        });
        return result;
    }

    /// <summary>TLE at one point from its sorted neighbour distances u (r = u[k−1]) and their pairwise distances v (k×k).</summary>
    public static double Local(double[] u, double[] v, double epsilon = DefaultEpsilon)
    {
        int k = u.Length;
        double r = u[k - 1];
        if (r <= 0) throw new AtlasArgumentException("points", "all neighbour distances are 0; TLE is undefined");
        double r2 = r * r;
        double sumS = 0, sumT = 0;
        int dropped = 0, coincident = 0;
        for (int i = 0; i < k; i++)
        {
            double ui = u[i], ui2 = ui * ui;
            for (int j = 0; j < k; j++)
            {
                if (i == j) continue;
                double uj = u[j], uj2 = uj * uj, vij = v[i * k + j], v2 = vij * vij;
                double z2 = 2 * ui2 + 2 * uj2 - v2;
                double s, t;
                if (ui == r)
                {
                    s = r * v2 / (r2 + v2 - uj2);
                    t = r * z2 / (r2 + z2 - uj2);
                }
                else
                {
                    double bs = ui2 + v2 - uj2, bt = ui2 + z2 - uj2, den = 2 * (r2 - ui2);
                    s = r * (Math.Sqrt(bs * bs + 4 * v2 * (r2 - ui2)) - bs) / den;
                    t = r * (Math.Sqrt(bt * bt + 4 * z2 * (r2 - ui2)) - bt) / den;
                }
                if (ui == 0) { s = uj; t = uj; }
                if (uj == 0) { s = t = r * vij / (r + vij); }
                if (vij == 0) { s = t = r; coincident++; }
                if (t < epsilon || s < epsilon) { s = t = r; dropped++; }
                sumS += Math.Log(s / r);
                sumT += Math.Log(t / r);
            }
        }
        int small = 0;
        double sumU = 0;
        for (int j = 0; j < k; j++)
        {
            if (u[j] < epsilon) { small++; continue; }
            sumU += Math.Log(u[j] / r);
        }
        return -2.0 * (k * k - dropped - small - coincident) / (sumT + sumS + 2 * sumU);
    }
}
