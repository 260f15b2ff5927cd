using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Geometry;

/// <summary>
/// Method-of-moments local dimension (Amsaleg et al. 2018): with w = r_k, the neighbour distances scaled by w
/// follow a density ∝ t^(d−1) on [0, 1], whose mean is d/(d + 1); solving m₁ = w·d/(d + 1) gives
/// d̂ = m₁ / (w − m₁). The global value is the mean over points.
/// </summary>
public static class MethodOfMoments
{
    public static double[] Pointwise(KnnResult knn, int k)
    {
        LevinaBickel.Require(knn, k, "MOM");
        var d = new double[knn.Count];
        for (int i = 0; i < knn.Count; i++)
        {
            var r = knn.DistanceRow(i);
            if (r[0] <= 0) throw LevinaBickel.Duplicate(i, "MOM");
            double w = r[k - 1], m1 = 0;
            for (int j = 0; j < k; j++) m1 += r[j];
            m1 /= k;
            if (w - m1 <= 0) throw LevinaBickel.Degenerate(i, k, "MOM");
            d[i] = m1 / (w - m1);
        }
        return d;
    }
}
