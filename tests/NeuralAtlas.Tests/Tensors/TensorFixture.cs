using NeuralAtlas.IO;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Tensors;

/// <summary>One group of PyTorch reference cases written by tools/fixtures/tensors_ops.py ("case__name" keys).</summary>
public sealed class TensorFixture
{
    private static readonly Dictionary<string, TensorFixture> Cache = new();
    private readonly Dictionary<string, Tensor> _arrays;

    private TensorFixture(string group)
    {
        var npz = Npz.Read(Fixtures.Path("tensors", $"tensors_{group}.npz"));
        _arrays = npz.ToDictionary(kv => kv.Key, kv => kv.Value.ToTensor());
    }

    public static TensorFixture Load(string group)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(group, out var f)) Cache[group] = f = new TensorFixture(group);
            return f;
        }
    }

    public Tensor this[string caseName, string key] =>
        _arrays.TryGetValue($"{caseName}__{key}", out var t) ? t : throw new KeyNotFoundException($"fixture array {caseName}__{key} is missing");

    public bool Has(string caseName, string key) => _arrays.ContainsKey($"{caseName}__{key}");

    public IEnumerable<string> Cases(string prefix) =>
        _arrays.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && k.EndsWith("__out", StringComparison.Ordinal))
            .Select(k => k[..^5]).Distinct().OrderBy(k => k, StringComparer.Ordinal);
}

public static class TensorAssert
{
    /// <summary>Same shape and |actual − expected| ≤ atol + rtol·|expected| everywhere (NaN only where expected is NaN).</summary>
    public static void Close(Tensor expected, Tensor actual, double rtol = 1e-5, double atol = 1e-6, string what = "")
    {
        Assert.True(expected.Shape.AsSpan().SequenceEqual(actual.Shape),
            $"{what}: shape {ShapeMismatchException.Format(actual.Shape)}, expected {ShapeMismatchException.Format(expected.Shape)}");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.Numel; i++)
        {
            double e = expected.Data[i], a = actual.Data[i];
            if (double.IsNaN(e) && double.IsNaN(a)) continue;
            if (double.IsInfinity(e) && e == a) continue;
            double excess = Math.Abs(a - e) - (atol + rtol * Math.Abs(e));
            if (double.IsNaN(excess) || excess > worst) { worst = double.IsNaN(excess) ? double.PositiveInfinity : excess; at = i; }
        }
        Assert.True(at < 0, at < 0 ? "" : $"{what}: element {at} is {actual.Data[at]}, expected {expected.Data[at]} (rtol {rtol}, atol {atol})");
    }
}
