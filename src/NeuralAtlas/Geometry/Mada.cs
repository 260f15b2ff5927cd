using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Geometry;

/// <summary>
/// Manifold-adaptive dimension estimation (Farahmand, Szepesvári, Audibert 2007): the probability mass of a ball
/// grows as r^d, so comparing the radii holding k and ⌊k/2⌋ neighbours gives d̂ = log 2 / log(r_k / r_⌊k/2⌋) at
/// each point; the global value is the mean over points.
/// </summary>
public static class Mada
{
    public static double[] Pointwise(KnnResult knn, int k)
    {
        LevinaBickel.Require(knn, k, "MADA");
        int h = k / 2;
        var d = new double[knn.Count];
        for (int i = 0; i < knn.Count; i++)
        {
            var r = knn.DistanceRow(i);
            if (r[0] <= 0) throw LevinaBickel.Duplicate(i, "MADA");
            double ratio = r[k - 1] / r[h - 1];
            if (ratio <= 1) throw LevinaBickel.Degenerate(i, k, "MADA");
            d[i] = Math.Log(2) / Math.Log(ratio);
        }
        return d;
    }
}
