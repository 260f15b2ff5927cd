using NeuralAtlas.IO;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;
using NeuralAtlas.Topology;

namespace NeuralAtlas.Tests.Topology;

/// <summary>Layer topology: point-cloud extraction, per-layer diagrams, and the layer distance matrix's properties.</summary>
public class LayerTopologyTests
{
    [Fact]
    public void LargestNormSpatialVectorIsPicked()
    {
        // 2 images, 3 channels, 2×2 positions; image 0 peaks at position 3, image 1 at position 1.
        var a = new float[2 * 3 * 4];
        void Set(int img, int ch, int pos, float v) => a[img * 12 + ch * 4 + pos] = v;
        for (int c = 0; c < 3; c++) { Set(0, c, 3, c + 1); Set(1, c, 1, -(c + 2)); Set(0, c, 0, 0.5f); }
        var (p, n, d) = LayerTopology.PointCloud(NdArray.From(a, 2, 3, 2, 2));
        Assert.Equal((2, 3), (n, d));
        Assert.Equal(new double[] { 1, 2, 3, -2, -3, -4 }, p);
    }

    [Fact]
    public void CircleLayerHasALongLoopAndDistancesAreAMetricMatrix()
    {
        var rng = new Rng(9);
        int n = 80;
        var circle = new float[n * 2];
        var blob = new float[n * 3];
        for (int i = 0; i < n; i++)
        {
            double t = 2 * Math.PI * i / n;
            circle[2 * i] = (float)Math.Cos(t); circle[2 * i + 1] = (float)Math.Sin(t);
            for (int k = 0; k < 3; k++) blob[3 * i + k] = (float)rng.Normal(0, 0.3);
        }
        using var dir = new TempDir();
        Npz.Write(dir.File("acts.npz"), new[] { new KeyValuePair<string, NdArray>("circle", NdArray.From(circle, n, 2)), new("blob", NdArray.From(blob, n, 3)), new("circle2", NdArray.From(circle, n, 2)) });
        var r = CliRunner.Run("layer-topology", dir.File("acts.npz"), "--out", dir.File("topo.json"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.True(File.Exists(dir.File("topo.json")));

        var res = LayerTopology.Compute(new[] { ("circle", NdArray.From(circle, n, 2)), ("blob", NdArray.From(blob, n, 3)), ("circle2", NdArray.From(circle, n, 2)) });
        var h1 = res.Layers[0].Diagrams[1];
        Assert.Contains(h1.Intervals, iv => iv.Death - iv.Birth > 1.0);
        var m = res.SlicedWasserstein[1];
        Assert.Equal(0, m[0, 2]); // identical layers
        Assert.True(m[0, 1] > 0.1);
        Assert.Equal(m[0, 1], m[1, 0]);
    }
}
