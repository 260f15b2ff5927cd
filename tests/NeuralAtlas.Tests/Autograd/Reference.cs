using NeuralAtlas.IO;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Autograd;

/// <summary>Reads the PyTorch reference files of tools/fixtures/nn_reference.py and compares tensors.</summary>
internal static class Reference
{
    private static readonly Dictionary<string, Dictionary<string, Tensor>> Cache = new();

    public static Dictionary<string, Tensor> Load(string file)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(file, out var d)) return d;
            d = new Dictionary<string, Tensor>();
            foreach (var (k, a) in Npz.Read(Fixtures.Path("nn", file))) d[k] = a.ToTensor();
            return Cache[file] = d;
        }
    }

    /// <summary>|ours − ref| ≤ rtol·|ref| + atol for every element, with atol = rtol·max|ref| (so near-zero entries compare at the tensor's scale).</summary>
    public static void Close(Tensor expected, Tensor actual, double rtol = 1e-5, string what = "")
    {
        Assert.True(expected.Shape.AsSpan().SequenceEqual(actual.Shape), $"{what}: shape {string.Join(",", actual.Shape)} vs expected {string.Join(",", expected.Shape)}");
        double scale = 0;
        foreach (var v in expected.Data) scale = Math.Max(scale, Math.Abs(v));
        for (int i = 0; i < expected.Numel; i++)
        {
            double e = expected.Data[i], a = actual.Data[i];
            if (double.IsNegativeInfinity(e) && double.IsNegativeInfinity(a)) continue;
            double tol = rtol * Math.Abs(e) + rtol * scale + 1e-7;
            Assert.True(Math.Abs(e - a) <= tol, $"{what}[{i}]: {a} vs expected {e} (tolerance {tol:G3})");
        }
    }
}
