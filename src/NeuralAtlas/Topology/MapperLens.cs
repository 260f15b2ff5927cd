using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Topology;

/// <summary>Filter functions ("lenses") for Mapper: each maps the n points of a row-major n×d cloud to n values.</summary>
public static class MapperLens
{
    /// <summary>The coordinate along the k-th principal component (0 = largest variance) of the centred data.</summary>
    public static double[] Pca(double[] points, int n, int d, int component = 0)
    {
        if (component < 0 || component >= d) throw new AtlasArgumentException("component", $"must be in [0, {d}), got {component}");
        var mean = new double[d];
        for (int i = 0; i < n; i++) for (int k = 0; k < d; k++) mean[k] += points[i * d + k] / n;
        var cov = new DMatrix(d, d);
        for (int i = 0; i < n; i++)
            for (int a = 0; a < d; a++)
            {
                double xa = points[i * d + a] - mean[a];
                for (int b = 0; b <= a; b++) cov[a, b] += xa * (points[i * d + b] - mean[b]);
            }
        for (int a = 0; a < d; a++) for (int b = 0; b < a; b++) cov[b, a] = cov[a, b];
        var eig = Decompositions.EigSymmetric(cov);
        int col = d - 1 - component; // ascending eigenvalues
        // Fix the sign so the result does not depend on the solver: the largest-magnitude loading is positive.
        int arg = 0;
        for (int k = 1; k < d; k++) if (Math.Abs(eig.Vectors[k, col]) > Math.Abs(eig.Vectors[arg, col])) arg = k;
        double sign = eig.Vectors[arg, col] < 0 ? -1 : 1;
        var r = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int k = 0; k < d; k++) s += (points[i * d + k] - mean[k]) * eig.Vectors[k, col];
            r[i] = sign * s;
        }
        return r;
    }

    /// <summary>‖x_i‖₂.</summary>
    public static double[] Norm(double[] points, int n, int d) => Apply(points, n, d, x => Math.Sqrt(x.ToArray().Sum(v => v * v)));

    /// <summary>‖x_i − c‖₂ for a reference point c (e.g. one of the points, or the centroid).</summary>
    public static double[] DistanceTo(double[] points, int n, int d, double[] center)
    {
        if (center.Length != d) throw new ShapeMismatchException("MapperLens.DistanceTo", new[] { d }, new[] { center.Length }, "center must have the points' dimension");
        return Apply(points, n, d, x => { double s = 0; for (int k = 0; k < d; k++) { double t = x[k] - center[k]; s += t * t; } return Math.Sqrt(s); });
    }

    public static double[] Centroid(double[] points, int n, int d)
    {
        var c = new double[d];
        for (int i = 0; i < n; i++) for (int k = 0; k < d; k++) c[k] += points[i * d + k] / n;
        return c;
    }

    public delegate double PointFunction(ReadOnlySpan<double> point);

    /// <summary>Any user function of a point.</summary>
    public static double[] Apply(double[] points, int n, int d, PointFunction f)
    {
        var r = new double[n];
        for (int i = 0; i < n; i++)
        {
            r[i] = f(new ReadOnlySpan<double>(points, i * d, d));
            if (!double.IsFinite(r[i])) throw new AtlasArgumentException("lens", $"the lens is {r[i]} at point {i}; lens values must be finite");
        }
        return r;
    }
}
