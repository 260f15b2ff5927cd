using NeuralAtlas.Autograd;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Nn;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Geometry;

/// <summary>How one layer carries a frame: each direction's norm relative to its (unit) input norm, the Gram matrix of
/// the pushed-forward directions, its singular values, effective rank, and the principal angles (radians) between the
/// augmentation and noise sub-frames.</summary>
public sealed record LayerFrame(string Layer, double[] RelativeNorms, double[,] Gram, double[] SingularValues, double EffectiveRank, double[] PrincipalAngles);

/// <summary>The frame of one input through every chosen layer; when checked, per layer the largest relative gap to central
/// finite differences, and the relative gap to Jacobian rows from reverse mode (<see cref="FrameReverseCheck"/>).</summary>
public sealed record FrameResult(IReadOnlyList<FrameDirection> Directions, IReadOnlyList<LayerFrame> Layers, double[]? FiniteDifferenceError, double[]? ReverseModeError = null);

/// <summary>
/// Neural frames (arXiv 2211.10558): a set of perturbation directions v_i at one input x is pushed through the
/// network, J_ℓ(x)·v_i at every layer ℓ, with forward-mode products (<see cref="Functional.Jvp(Func{Var, Var}, Tensor, IReadOnlyList{Tensor})"/>).
/// Comparing how augmentation, noise and adversarial directions shrink, align and span at each layer shows which
/// modes of variation the model discards (invariance) and which it keeps.
/// </summary>
public static class NeuralFrames
{
    /// <param name="finiteDifferenceStep">Central differences of this step against every Jvp (0 = off). In float32 they
    /// are sound at the first affine layer only: rounding (∝ 1/h) and ReLU/max-pool kinks crossed (∝ h) dominate deeper.</param>
    /// <param name="reverseRows">Jacobian rows per layer from reverse mode against the Jvps (0 = off); exact at every layer.</param>
    public static FrameResult Compute(Module model, Tensor image, IReadOnlyList<FrameDirection> directions, IReadOnlyList<string> layers, double finiteDifferenceStep = 0, int reverseRows = 0, ulong reverseSeed = 0)
    {
        var (x, dirs, outputs, frames) = Push(model, image, directions, layers);

        double[]? fdError = null;
        if (finiteDifferenceStep > 0)
        {
            fdError = new double[layers.Count];
            using var off = GradMode.NoGrad();
            for (int k = 0; k < dirs.Count; k++)
            {
                var plus = outputs(new Var(Shift(x, dirs[k], finiteDifferenceStep)));
                var minus = outputs(new Var(Shift(x, dirs[k], -finiteDifferenceStep)));
                for (int l = 0; l < layers.Count; l++)
                {
                    var jv = frames[l].Row(k);
                    var pd = plus[l].Value.Data;
                    var md = minus[l].Value.Data;
                    double diff = 0, norm = 0;
                    for (int i = 0; i < jv.Length; i++)
                    {
                        double fd = (pd[i] - (double)md[i]) / (2 * finiteDifferenceStep);
                        diff += (fd - jv[i]) * (fd - jv[i]);
                        norm += jv[i] * jv[i];
                    }
                    fdError[l] = Math.Max(fdError[l], norm > 0 ? Math.Sqrt(diff / norm) : Math.Sqrt(diff));
                }
            }
        }

        double[]? reverseError = reverseRows > 0 ? FrameReverseCheck.Compute(model, image, directions, layers, frames, reverseRows, new Rng(reverseSeed)) : null;

        var result = new LayerFrame[layers.Count];
        for (int l = 0; l < layers.Count; l++) result[l] = Describe(layers[l], frames[l], directions);
        return new FrameResult(directions, result, fdError, reverseError);
    }

    /// <summary>The frame matrices themselves: per layer, one row J_ℓ(x)·v_k per direction (row-major layer output).</summary>
    public static DMatrix[] Pushforward(Module model, Tensor image, IReadOnlyList<FrameDirection> directions, IReadOnlyList<string> layers) =>
        Push(model, image, directions, layers).Frames;

    private static (Tensor X, List<Tensor> Dirs, Func<Var, Var[]> Outputs, DMatrix[] Frames) Push(Module model, Tensor image, IReadOnlyList<FrameDirection> directions, IReadOnlyList<string> layers)
    {
        if (directions.Count == 0) throw new AtlasArgumentException("directions", "a frame needs at least one direction");
        if (layers.Count == 0) throw new AtlasArgumentException("layers", "name at least one layer");
        var (c, h, w) = FrameDirections.Chw(image);
        var x = image.Reshape(1, c, h, w);
        model.Eval();
        // Layers are submodule names, or node names of an imported ONNX graph; the taps carry the tangents.
        Var[] Outputs(Var input) => LayerTaps.Outputs(model, input, layers);
        var dirs = directions.Select(d => d.Direction.Reshape(1, c, h, w)).ToList();
        int kCount = dirs.Count;
        var frames = new DMatrix[layers.Count];
        if (model is NeuralAtlas.Onnx.OnnxModule || kCount == 1)
        {
            // An imported graph may fix or mix the batch axis, so its directions go one backward pass each.
            var (outs, jvps) = Functional.Jvp(Outputs, x, dirs);
            for (int l = 0; l < layers.Count; l++)
            {
                int size = outs[l].Numel;
                var frame = new DMatrix(kCount, size);
                for (int k = 0; k < kCount; k++)
                {
                    var src = jvps[k][l].Data;
                    var row = frame.Row(k);
                    for (int i = 0; i < size; i++) row[i] = src[i];
                }
                frames[l] = frame;
            }
        }
        else
        {
            // A zoo model in eval mode treats examples independently, so K copies of x in one batch have a block-diagonal
            // Jacobian and a single Jvp with the directions stacked on the batch axis gives every J·v_k at once: one
            // batched pass of large GEMMs instead of K passes of small ones. Row k of a layer's batched tangent is J·v_k.
            var (outs, jvps) = Functional.Jvp(Outputs, Ops.Cat(Enumerable.Repeat(x, kCount).ToList(), 0), new[] { Ops.Cat(dirs, 0) });
            for (int l = 0; l < layers.Count; l++)
            {
                var src = jvps[0][l].Data;
                var frame = new DMatrix(kCount, src.Length / kCount);
                for (int i = 0; i < src.Length; i++) frame.Data[i] = src[i];
                frames[l] = frame;
            }
        }
        return (x, dirs, Outputs, frames);
    }

    /// <summary>The per-layer statistics of a frame matrix (one pushed-forward direction per row; directions have unit input norm).</summary>
    public static LayerFrame Describe(string layer, DMatrix frame, IReadOnlyList<FrameDirection> directions)
    {
        var gram = Blas.AAt(frame);
        // The input directions have unit norm, so a row's norm is its relative norm; it is on the Gram's diagonal.
        var norms = new double[frame.Rows];
        for (int k = 0; k < norms.Length; k++) norms[k] = Math.Sqrt(Math.Max(0, gram[k, k]));
        var eig = Decompositions.EigSymmetric(gram).Values;
        var sv = eig.Reverse().Select(v => Math.Sqrt(Math.Max(0, v))).ToArray();
        return new LayerFrame(layer, norms, gram.ToArray(), sv, EffectiveRank(sv), GramPrincipalAngles(gram, directions, "augmentation", "noise"));
    }

    /// <summary>Roy–Vetterli effective rank exp(H(p)), p_i = σ_i / Σσ (0 for an all-zero frame).</summary>
    public static double EffectiveRank(double[] singularValues)
    {
        double total = singularValues.Sum();
        if (!(total > 0)) return 0;
        double hEnt = 0;
        foreach (double s in singularValues)
            if (s > 0) { double p = s / total; hEnt -= p * Math.Log(p); }
        return Math.Exp(hEnt);
    }

    /// <summary>Principal angles (radians, ascending) between the spans of two groups' rows; empty when a group is missing or zero.</summary>
    public static double[] PrincipalAngles(DMatrix frame, IReadOnlyList<FrameDirection> directions, string groupA, string groupB) =>
        GramPrincipalAngles(Blas.AAt(frame), directions, groupA, groupB);

    /// <summary>
    /// Principal angles from the frame's Gram matrix G = F·Fᵀ alone. With G_AA = V Λ Vᵀ, the rows of Λ^{-1/2}Vᵀ F_A are an
    /// orthonormal basis of span(F_A), so the cosines are the singular values of Λ_A^{-1/2} V_Aᵀ G_AB V_B Λ_B^{-1/2}:
    /// k×k work instead of an SVD of a (units × k) matrix, which cost more than the Jvps at wide layers.
    /// </summary>
    public static double[] GramPrincipalAngles(DMatrix gram, IReadOnlyList<FrameDirection> directions, string groupA, string groupB)
    {
        var ia = Enumerable.Range(0, directions.Count).Where(k => directions[k].Group == groupA).ToArray();
        var ib = Enumerable.Range(0, directions.Count).Where(k => directions[k].Group == groupB).ToArray();
        var wa = Whitener(gram, ia);
        var wb = Whitener(gram, ib);
        if (wa is null || wb is null) return Array.Empty<double>();
        var gab = new DMatrix(ia.Length, ib.Length);
        for (int i = 0; i < ia.Length; i++)
            for (int j = 0; j < ib.Length; j++) gab[i, j] = gram[ia[i], ib[j]];
        var m = Blas.Gemm(Blas.Gemm(wa, gab, transA: true), wb);
        var cos = Decompositions.SingularValues(m);
        return cos.Select(v => Math.Acos(Math.Clamp(v, -1, 1))).ToArray();
    }

    // V Λ^{-1/2} over the eigenpairs of one group's Gram block that carry signal; the cut (σ below 1e-7 of the largest)
    // sits above the Gram's own rounding, since λ = σ² halves the digits an SVD of the frame would keep.
    private static DMatrix? Whitener(DMatrix gram, int[] rows)
    {
        if (rows.Length == 0) return null;
        var g = new DMatrix(rows.Length, rows.Length);
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < rows.Length; j++) g[i, j] = gram[rows[i], rows[j]];
        var eig = Decompositions.EigSymmetric(g);
        double top = eig.Values.Max();
        if (!(top > 0)) return null;
        var keep = Enumerable.Range(0, rows.Length).Where(k => Math.Sqrt(Math.Max(0, eig.Values[k])) > 1e-7 * Math.Sqrt(top)).ToArray();
        var w = new DMatrix(rows.Length, keep.Length);
        for (int j = 0; j < keep.Length; j++)
        {
            double scale = 1 / Math.Sqrt(eig.Values[keep[j]]);
            for (int i = 0; i < rows.Length; i++) w[i, j] = eig.Vectors[i, keep[j]] * scale;
        }
        return w;
    }

    private static Tensor Shift(Tensor x, Tensor v, double step)
    {
        var d = new float[x.Numel];
        for (int i = 0; i < d.Length; i++) d[i] = (float)(x.Data[i] + step * v.Data[i]);
        return new Tensor(x.Shape, d);
    }
}
