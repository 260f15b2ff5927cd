using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>
/// Canonical correlation analysis between two centered representations through orthonormal bases of their
/// column spaces: with X = Q_x R_x, Y = Q_y R_y, the canonical correlations are the singular values of Q_xᵀQ_y and
/// the canonical variates of X are Q_x·U. Equivalent to the singular values of Σxx^(-1/2) Σxy Σyy^(-1/2) (Hotelling)
/// for full-rank data; rank-deficient data (constant or duplicated units) keep only their independent directions,
/// so there are min(rank X, rank Y) correlations. With n − 1 ≤ rank all correlations are 1 (CCA needs n ≫ d).
/// </summary>
public sealed class CanonicalCorrelations
{
    /// <summary>The canonical correlations, descending, in [0, 1].</summary>
    public double[] Rho { get; }

    /// <summary>Canonical variates of X (n×k, orthonormal columns), matching <see cref="Rho"/>; null unless requested.</summary>
    public DMatrix? VariatesX { get; }

    private CanonicalCorrelations(double[] rho, DMatrix? vx)
    {
        Rho = rho;
        VariatesX = vx;
    }

    /// <summary>CCA between two orthonormal bases (n×kx and n×ky).</summary>
    internal static CanonicalCorrelations FromBases(DMatrix qx, DMatrix qy, bool variates)
    {
        int k = Math.Min(qx.Cols, qy.Cols);
        var m = Blas.Gemm(qx, qy, transA: true);
        var svd = Decompositions.ThinSvd(m);
        var rho = new double[k];
        for (int i = 0; i < k; i++) rho[i] = Math.Clamp(svd.S[i], 0, 1);
        DMatrix? vx = null;
        if (variates) vx = Blas.Gemm(qx, Representation.LeadingColumns(svd.U, k));
        return new CanonicalCorrelations(rho, vx);
    }

    /// <summary>CCA between X and Y (uncentered inputs; columns are centered here).</summary>
    public static CanonicalCorrelations Compute(DMatrix x, DMatrix y, bool variates = false, string measure = "cca")
    {
        var (qx, qy) = Bases(x, y, measure);
        return FromBases(qx, qy, variates);
    }

    internal static (DMatrix Qx, DMatrix Qy) Bases(DMatrix x, DMatrix y, string measure)
    {
        var xc = Representation.Center(x);
        var yc = Representation.Center(y);
        Representation.RequireVariance(xc, x, "X", measure);
        Representation.RequireVariance(yc, y, "Y", measure);
        var bx = new SpectralBasis(xc);
        var by = new SpectralBasis(yc);
        return (bx.Basis(bx.Rank), by.Basis(by.Rank));
    }
}
