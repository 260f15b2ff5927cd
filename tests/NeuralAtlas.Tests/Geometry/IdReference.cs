using NeuralAtlas.IO;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Geometry;

/// <summary>The arrays written by tools/fixtures/geometry_id.py (scikit-learn kNN lists and numpy estimators).</summary>
internal static class IdReference
{
    public static readonly string[] Sets = { "sphere", "gauss", "swiss" };

    private static readonly Lazy<OrderedDictionary<string, NdArray>> Arrays =
        new(() => Npz.Read(Fixtures.Path("geometry", "id_reference.npz")));

    public static DMatrix Points(string set) => Arrays.Value[set + "_x"].ToDMatrix();

    public static double[] Get(string key) => Arrays.Value[key].ToDoubles();

    public static double Scalar(string key) => Get(key)[0];

    /// <summary>scikit-learn's neighbour lists as a <see cref="KnnResult"/>.</summary>
    public static KnnResult SklearnKnn(string set)
    {
        var d = Arrays.Value[set + "_dist"];
        var idx = Arrays.Value[set + "_idx"].ToInt64s().Select(v => (int)v).ToArray();
        return new KnnResult(d.Shape[0], d.Shape[1], d.ToDoubles(), idx);
    }

    public static void Close(double expected, double actual, double rel = 1e-10, string what = "")
    {
        double tol = rel * Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tol, $"{what}: expected {expected:R}, got {actual:R} (|Δ| = {Math.Abs(expected - actual):E2} > {tol:E2})");
    }

    public static void Close(double[] expected, double[] actual, double rel = 1e-10, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Close(expected[i], actual[i], rel, $"{what}[{i}]");
    }
}
