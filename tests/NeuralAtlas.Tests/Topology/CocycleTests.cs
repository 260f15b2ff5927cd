using NeuralAtlas.Tensors;
using NeuralAtlas.Topology;

namespace NeuralAtlas.Tests.Topology;

/// <summary>
/// Representative cocycles checked by their defining property: for [b, d) the cochain contains the birth simplex,
/// and its coboundary (within the threshold) vanishes below d and is nonzero at d; for an essential class it vanishes.
/// </summary>
public class CocycleTests
{
    [Theory]
    [InlineData(2, 1.9)]
    [InlineData(3, 1.9)]
    [InlineData(2, 1.1)]
    [InlineData(5, 1.1)]
    public void CocyclesHaveTheirCoboundaryAtTheDeath(int p, double threshold)
    {
        var rng = new Rng(11);
        int n = 60;
        var pts = new double[2 * n];
        for (int i = 0; i < n; i++)
        {
            double t = rng.Uniform(0, 2 * Math.PI);
            pts[2 * i] = Math.Cos(t) + rng.Normal(0, 0.05);
            pts[2 * i + 1] = Math.Sin(t) + rng.Normal(0, 0.05);
        }
        var dm = DistanceMatrix.FromPoints(pts, n, 2);
        var r = VietorisRips.Compute(dm, new RipsOptions { Modulus = p, Threshold = threshold, Cocycles = true, MaxDimension = 1 });
        Assert.Equal(r[1].Count, r.Cocycles.Count);
        Assert.NotEmpty(r.Cocycles);
        float thr = (float)threshold;
        foreach (var c in r.Cocycles)
        {
            var z = new Dictionary<(int, int), int>();
            foreach (var (v, coef) in c.Simplices) z[(v[0], v[1])] = ((z.GetValueOrDefault((v[0], v[1])) + coef) % p + p) % p;
            Assert.Contains(z, kv => dm[kv.Key.Item1, kv.Key.Item2] == (float)c.Interval.Birth && kv.Value == 1);
            double minDiam = double.PositiveInfinity;
            for (int a = 0; a < n; a++)
                for (int b = a + 1; b < n; b++)
                    for (int e = b + 1; e < n; e++)
                    {
                        float diam = Math.Max(dm[a, b], Math.Max(dm[a, e], dm[b, e]));
                        if (diam > thr) continue;
                        // δz(abe) = z(be) − z(ae) + z(ab)
                        int s = z.GetValueOrDefault((b, e)) - z.GetValueOrDefault((a, e)) + z.GetValueOrDefault((a, b));
                        if (((s % p) + p) % p != 0) minDiam = Math.Min(minDiam, diam);
                    }
            Assert.Equal(c.Interval.Death, minDiam);
        }
    }
}
