using NeuralAtlas.Native;

namespace NeuralAtlas.LinearAlgebra;

/// <summary>Thin SVD: A = U·diag(S)·Vᵀ with U m×r, S descending, V n×r, r = min(m, n).</summary>
public sealed record Svd(DMatrix U, double[] S, DMatrix V);

/// <summary>Symmetric eigendecomposition: A = V·diag(Values)·Vᵀ, values ascending, eigenvectors in the columns of V.</summary>
public sealed record SymmetricEigen(double[] Values, DMatrix Vectors);

/// <summary>
/// SVD and symmetric eigensolver: LAPACK (dgesdd, dsyevd) from OpenBLAS when it loads, else MathNet.Numerics.
/// </summary>
public static unsafe class Decompositions
{
    public static Svd ThinSvd(DMatrix a)
    {
        a.RequireFinite("svd input");
        int m = a.Rows, n = a.Cols, r = Math.Min(m, n);
        if (r == 0) return new Svd(new DMatrix(m, 0), Array.Empty<double>(), new DMatrix(n, 0));
        if (OpenBlas.HasLapack)
        {
            double[] colMajor = a.Transpose().Data; // row-major Aᵀ is column-major A
            var s = new double[r];
            var u = new double[(long)m * r];
            var vt = new double[(long)r * n];
            int info;
            fixed (double* pa = colMajor, ps = s, pu = u, pvt = vt)
                info = OpenBlas.Dgesdd(m, n, pa, ps, pu, pvt);
            if (info != 0) throw new AtlasException($"svd: LAPACK dgesdd failed to converge (info {info}) on a {m}×{n} matrix");
            var U = new DMatrix(m, r);
            for (int j = 0; j < r; j++)
                for (int i = 0; i < m; i++) U[i, j] = u[(long)j * m + i];
            var V = new DMatrix(n, r);
            for (int j = 0; j < n; j++)
                for (int i = 0; i < r; i++) V[j, i] = vt[(long)j * r + i];
            return new Svd(U, s, V);
        }
        var mm = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(a.ToArray());
        var svd = mm.Svd(computeVectors: true);
        var Um = new DMatrix(m, r);
        var Vm = new DMatrix(n, r);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < r; j++) Um[i, j] = svd.U[i, j];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < r; j++) Vm[i, j] = svd.VT[j, i];
        var S = new double[r];
        for (int j = 0; j < r; j++) S[j] = svd.S[j];
        return new Svd(Um, S, Vm);
    }

    /// <summary>Singular values only, descending.</summary>
    public static double[] SingularValues(DMatrix a) => ThinSvd(a).S;

    public static SymmetricEigen EigSymmetric(DMatrix a)
    {
        if (a.Rows != a.Cols) throw new ShapeMismatchException("eigh", new[] { a.Rows, a.Cols }, new[] { a.Cols, a.Rows }, "matrix must be square");
        a.RequireFinite("eigh input");
        int n = a.Rows;
        if (n == 0) return new SymmetricEigen(Array.Empty<double>(), new DMatrix(0, 0));
        if (OpenBlas.HasLapack)
        {
            double[] buf = (double[])a.Data.Clone(); // symmetric: row-major = column-major
            var w = new double[n];
            int info;
            fixed (double* pa = buf, pw = w) info = OpenBlas.Dsyevd(n, pa, pw);
            if (info != 0) throw new AtlasException($"eigh: LAPACK dsyevd failed (info {info}) on a {n}×{n} matrix");
            var V = new DMatrix(n, n);
            for (int j = 0; j < n; j++)
                for (int i = 0; i < n; i++) V[i, j] = buf[(long)j * n + i];
            return new SymmetricEigen(w, V);
        }
        var mm = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(a.ToArray());
        var evd = mm.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        var idx = Enumerable.Range(0, n).OrderBy(i => evd.EigenValues[i].Real).ToArray();
        var vals = idx.Select(i => evd.EigenValues[i].Real).ToArray();
        var vecs = new DMatrix(n, n);
        for (int c = 0; c < n; c++)
            for (int i = 0; i < n; i++) vecs[i, c] = evd.EigenVectors[i, idx[c]];
        return new SymmetricEigen(vals, vecs);
    }
}
