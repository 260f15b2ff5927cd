using System.Runtime.InteropServices;
using NeuralAtlas.Native;

namespace NeuralAtlas.LinearAlgebra;

/// <summary>
/// The Gram matrix AᵀA through BLAS dsyrk, which computes one triangle only: half the flops of
/// <see cref="Blas.AtA"/>. Falls back to <see cref="Blas.AtA"/> when OpenBLAS is not in use.
/// </summary>
public static unsafe class SymmetricGram
{
    private const int RowMajor = 101, Upper = 121, NoTrans = 111, Trans = 112;

    private static readonly Lazy<IntPtr> Syrk = new(() =>
    {
        foreach (string name in new[] { "libopenblas.so.0", "libopenblas.so", "openblas" })
            if (NativeLibrary.TryLoad(name, typeof(SymmetricGram).Assembly, null, out IntPtr h)
                && NativeLibrary.TryGetExport(h, "cblas_dsyrk", out IntPtr p))
                return p;
        return IntPtr.Zero;
    });

    /// <summary>AᵀA (d×d for an n×d matrix), both triangles filled.</summary>
    public static DMatrix AtA(DMatrix a)
    {
        if (!OpenBlas.IsAvailable || Syrk.Value == IntPtr.Zero || a.Rows == 0 || a.Cols == 0) return Blas.AtA(a);
        return Run(a, transpose: true);
    }

    /// <summary>AAᵀ (n×n for an n×d matrix), both triangles filled.</summary>
    public static DMatrix AAt(DMatrix a)
    {
        if (!OpenBlas.IsAvailable || Syrk.Value == IntPtr.Zero || a.Rows == 0 || a.Cols == 0) return Blas.AAt(a);
        return Run(a, transpose: false);
    }

    private static DMatrix Run(DMatrix a, bool transpose)
    {
        int n = transpose ? a.Cols : a.Rows, k = transpose ? a.Rows : a.Cols;
        var c = new DMatrix(n, n);
        var f = (delegate* unmanaged<int, int, int, int, int, double, double*, int, double, double*, int, void>)Syrk.Value;
        fixed (double* pa = a.Data, pc = c.Data)
            f(RowMajor, Upper, transpose ? Trans : NoTrans, n, k, 1.0, pa, a.Cols, 0.0, pc, n);
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) c.Data[j * n + i] = c.Data[i * n + j];
        return c;
    }
}
