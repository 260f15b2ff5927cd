using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>
/// The principal directions of a centered n×d representation: singular values σ (descending) and, on request, an
/// orthonormal n×k basis of the span of the top k left singular vectors. Computed from the eigendecomposition of
/// the smaller Gram matrix (XᵀX when n ≥ d, else XXᵀ), then re-orthonormalised once (CholeskyQR2-style), which
/// keeps the basis orthonormal to ~1e-15 at a fraction of a full SVD's cost. Directions whose variance is below
/// <see cref="RelativeTolerance"/> of the largest count as rank deficiency (constant or duplicated columns).
/// </summary>
internal sealed class SpectralBasis
{
    public const double RelativeTolerance = 1e-10;

    private readonly DMatrix _x;
    private readonly DMatrix _vectors; // eigenvectors of the Gram matrix, descending order, columns
    private readonly bool _featureSide; // true: vectors are d-dimensional (XᵀX)

    /// <summary>Singular values of the centered input, descending, only those above the tolerance.</summary>
    public double[] Sigma { get; }

    /// <summary>Σσ² over every direction (the total variance times n).</summary>
    public double TotalVariance { get; }

    public int Rank => Sigma.Length;

    public SpectralBasis(DMatrix centered)
    {
        _x = centered;
        _featureSide = centered.Rows >= centered.Cols;
        var gram = _featureSide ? SymmetricGram.AtA(centered) : Blas.AAt(centered);
        Symmetrize(gram);
        var eig = Decompositions.EigSymmetric(gram);
        int m = eig.Values.Length;
        double max = Math.Max(eig.Values[m - 1], 0);
        TotalVariance = 0;
        int rank = 0;
        for (int i = m - 1; i >= 0; i--)
        {
            double l = eig.Values[i];
            if (l > 0) TotalVariance += l;
            if (max > 0 && l > RelativeTolerance * max) rank++;
        }
        Sigma = new double[rank];
        _vectors = new DMatrix(m, rank);
        for (int r = 0; r < rank; r++)
        {
            int src = m - 1 - r;
            Sigma[r] = Math.Sqrt(eig.Values[src]);
            for (int i = 0; i < m; i++) _vectors[i, r] = eig.Vectors[i, src];
        }
    }

    /// <summary>Orthonormal n×k basis of the span of the top k principal directions.</summary>
    public DMatrix Basis(int k)
    {
        if (k < 0 || k > Rank) throw new ArgumentOutOfRangeException(nameof(k));
        var v = Representation.LeadingColumns(_vectors, k);
        if (!_featureSide) return v; // eigenvectors of XXᵀ are the left singular vectors already
        var q = Blas.Gemm(_x, v);
        for (int i = 0; i < q.Rows; i++)
        {
            var row = q.Row(i);
            for (int j = 0; j < k; j++) row[j] /= Sigma[j];
        }
        return Reorthonormalize(q);
    }

    /// <summary>Q·(QᵀQ)^(-1/2): the nearest orthonormal basis of the same span, keeping the column order's meaning.</summary>
    private static DMatrix Reorthonormalize(DMatrix q)
    {
        int k = q.Cols;
        if (k == 0) return q;
        var g = SymmetricGram.AtA(q);
        Symmetrize(g);
        var eig = Decompositions.EigSymmetric(g);
        // W = V·diag(λ^(-1/2))·Vᵀ, the symmetric inverse square root of QᵀQ.
        var vs = eig.Vectors.Clone();
        for (int a = 0; a < k; a++)
            for (int c = 0; c < k; c++) vs[a, c] /= Math.Sqrt(eig.Values[c]);
        var w = Blas.Gemm(vs, eig.Vectors, transB: true);
        return Blas.Gemm(q, w);
    }

    internal static void Symmetrize(DMatrix g)
    {
        int n = g.Rows;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double m = 0.5 * (g[i, j] + g[j, i]);
                g[i, j] = m;
                g[j, i] = m;
            }
    }
}
