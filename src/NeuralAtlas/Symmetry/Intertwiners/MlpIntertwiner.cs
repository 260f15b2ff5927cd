using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Symmetry.Intertwiners;

/// <summary>An MLP transformed by intertwiners: the new layers and the A placed after each hidden layer.</summary>
public sealed record IntertwinedMlp(IReadOnlyList<DenseLayer> Layers, IReadOnlyList<DMatrix> Intertwiners);

/// <summary>
/// Moves an MLP x ↦ W_L σ(… σ(W₁x + b₁) …) + b_L along its symmetry group: after each hidden layer i a random
/// A_i ∈ G_σ is inserted with its B_i (= A_i for every supported σ), W_i ← A_i W_i, b_i ← A_i b_i,
/// W_{i+1} ← W_{i+1} B_i⁻¹. Then σ(A_i z) = B_i σ(z) and the next layer undoes B_i, so the function is unchanged
/// while the hidden representations are moved by B_i.
/// </summary>
public static class MlpIntertwiner
{
    public static void RequireChain(IReadOnlyList<DenseLayer> layers)
    {
        if (layers.Count < 2) throw new AtlasArgumentException("layers", $"an MLP needs at least two linear layers to put an intertwiner between, got {layers.Count}");
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i].Bias is { } b && b.Length != layers[i].Out)
                throw new ShapeMismatchException("intertwine", $"{layers[i].Name} has {layers[i].Out} outputs but a bias of {b.Length}");
            if (i > 0 && layers[i].In != layers[i - 1].Out)
                throw new ShapeMismatchException("intertwine",
                    $"{layers[i].Name} takes {layers[i].In} inputs but {layers[i - 1].Name} gives {layers[i - 1].Out} outputs; consecutive layers must chain to be intertwined");
        }
    }

    public static IntertwinedMlp Apply(IReadOnlyList<DenseLayer> layers, IntertwinerGroup group, Rng rng)
    {
        RequireChain(layers);
        var w = layers.Select(l => l.Weight.Clone()).ToList();
        var b = layers.Select(l => l.Bias is null ? null : (double[])l.Bias.Clone()).ToList();
        var used = new List<DMatrix>();
        for (int i = 0; i < layers.Count - 1; i++)
        {
            var a = group.Sample(layers[i].Out, rng);
            var bMat = group.MatchingB(a);
            w[i] = Blas.Gemm(a, w[i]);
            if (b[i] is { } bias) b[i] = IntertwinerCheck.MatVec(a, bias);
            w[i + 1] = Blas.Gemm(w[i + 1], Inverse(bMat));
            used.Add(a);
        }
        return new IntertwinedMlp(layers.Select((l, i) => new DenseLayer(l.Name, w[i], b[i])).ToList(), used);
    }

    /// <summary>The hidden representations (after σ) for every input row, and the output.</summary>
    public static (List<DMatrix> Hidden, DMatrix Output) Forward(IReadOnlyList<DenseLayer> layers, Activation sigma, DMatrix inputs)
    {
        var hidden = new List<DMatrix>();
        var h = inputs;
        for (int i = 0; i < layers.Count; i++)
        {
            var z = Blas.Gemm(h, layers[i].Weight, transB: true);
            if (layers[i].Bias is { } bias)
                for (int r = 0; r < z.Rows; r++)
                    for (int c = 0; c < z.Cols; c++) z[r, c] += bias[c];
            if (i == layers.Count - 1) return (hidden, z);
            var next = new DMatrix(z.Rows, z.Cols);
            for (int r = 0; r < z.Rows; r++) sigma.Apply(z.Row(r)).CopyTo(next.Row(r));
            hidden.Add(next);
            h = next;
        }
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Inverse of an invertible matrix (monomial matrices exactly; others through the SVD).</summary>
    public static DMatrix Inverse(DMatrix a)
    {
        int n = a.Rows;
        var inv = new DMatrix(n, n);
        bool monomial = true;
        for (int i = 0; i < n && monomial; i++)
        {
            int nz = 0;
            for (int j = 0; j < n; j++)
                if (a[i, j] != 0) { nz++; inv[j, i] = 1 / a[i, j]; }
            monomial = nz == 1;
        }
        if (monomial) return inv;
        var svd = Decompositions.ThinSvd(a);
        if (svd.S[^1] <= 1e-12 * svd.S[0]) throw new AtlasArgumentException("A", "the intertwiner is singular");
        var r = new DMatrix(n, n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += svd.V[i, k] / svd.S[k] * svd.U[j, k];
                r[i, j] = s;
            }
        return r;
    }
}
