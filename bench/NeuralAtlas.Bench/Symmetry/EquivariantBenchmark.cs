using System.Diagnostics;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Symmetry.PartitionAlgebra;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Bench.Symmetry;

/// <summary>
/// Diagram-basis (factorised) multiplication against the dense orbit-basis matrix product (what symmetricNNs and
/// InvariantGraphNetworks compute), for k = l = 2 and k = l = 3 over a range of n: times, speedup and log–log growth
/// exponents. The dense matrix is built once outside the timing (as a layer would between weight updates); only
/// matrices up to --dense-max-mib are formed.
/// </summary>
public sealed class EquivariantBenchmark : IBenchmark
{
    public string Name => "equivariant";
    public string Description => "partition-algebra layers: diagram-basis fast product vs dense orbit-basis matvec (k=l=2, 3)";

    public int Run(string[] args)
    {
        long denseMaxMib = args.Length > 0 ? long.Parse(args[0]) : 160;
        Console.WriteLine($"openblas: {NeuralAtlas.Native.OpenBlas.Status}; dense matrices up to {denseMaxMib} MiB");
        Series(2, new[] { 8, 16, 32, 64, 128 }, denseMaxMib);
        Series(3, new[] { 4, 8, 16, 32 }, denseMaxMib);
        return 0;
    }

    private static void Series(int order, int[] ns, long denseMaxMib)
    {
        Console.WriteLine($"\nk = l = {order}");
        Console.WriteLine("n\tdim\tfast_ms\tdense_ms\tspeedup\tdense_build_s\tmax_abs_diff");
        var fastPts = new List<(double, double)>();
        var densePts = new List<(double, double)>();
        foreach (int n in ns)
        {
            var rng = new Rng(n);
            var basis = new EquivariantBasis(order, order, n);
            var w = Enumerable.Range(0, basis.Dimension).Select(_ => rng.Normal()).ToArray();
            int len = (int)SizeGuard.Power(n, order);
            var x = Enumerable.Range(0, len).Select(_ => rng.Normal()).ToArray();
            var map = new EquivariantMap(basis, w, BasisKind.Orbit);
            var ybuf = new double[map.OutputLength];
            double fastMs = Time(() => map.ApplyInto(x, ybuf));
            fastPts.Add((n, fastMs));
            string denseMs = "—", speedup = "—", build = "—", diff = "—";
            double mib = (double)len * len * 8 / (1 << 20);
            if (mib <= denseMaxMib)
            {
                var sw = Stopwatch.StartNew();
                var dense = new DMatrix(len, len, DenseEquivariant.Matrix(basis, w, BasisKind.Orbit));
                build = $"{sw.Elapsed.TotalSeconds:F2}";
                var xm = new DMatrix(len, 1, x);
                // The faster of BLAS dgemm and a managed row-dot loop, so the dense side is not handicapped.
                double d = Math.Min(Time(() => Blas.Gemm(dense, xm)), Time(() => DenseEquivariant.Multiply(dense.Data, x, len)));
                densePts.Add((n, d));
                denseMs = $"{d:F4}";
                speedup = $"{d / fastMs:F0}";
                var yd = Blas.Gemm(dense, xm).Data;
                var yf = map.Apply(x);
                diff = $"{yd.Zip(yf, (a, b) => Math.Abs(a - b)).Max():E1}";
            }
            Console.WriteLine($"{n}\t{basis.Dimension}\t{fastMs:F4}\t{denseMs}\t{speedup}\t{build}\t{diff}");
        }
        Console.WriteLine($"growth exponent (log-log slope over the largest 3 sizes measured): fast {Slope(fastPts):F2}, dense {Slope(densePts):F2}; theory: fast n^{order}, dense n^{2 * order}");
    }

    /// <summary>Median of repeated runs, enough repeats to fill ~0.3 s (min 3).</summary>
    private static double Time(Action a)
    {
        a();
        var sw = Stopwatch.StartNew();
        a();
        double once = sw.Elapsed.TotalMilliseconds;
        int reps = (int)Math.Clamp(300 / Math.Max(once, 1e-3), 3, 2000);
        var t = new double[reps];
        for (int i = 0; i < reps; i++)
        {
            sw.Restart();
            a();
            t[i] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(t);
        return t[reps / 2];
    }

    private static double Slope(List<(double N, double Ms)> pts)
    {
        var p = pts.Skip(Math.Max(0, pts.Count - 3)).ToList();
        if (p.Count < 2) return double.NaN;
        double mx = p.Average(q => Math.Log(q.N)), my = p.Average(q => Math.Log(q.Ms));
        double sxy = p.Sum(q => (Math.Log(q.N) - mx) * (Math.Log(q.Ms) - my)), sxx = p.Sum(q => Math.Pow(Math.Log(q.N) - mx, 2));
        return sxy / sxx;
    }
}
