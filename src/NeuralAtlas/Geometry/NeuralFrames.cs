using NeuralAtlas.Autograd;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Nn;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Geometry;

/// <summary>How one layer carries a frame: each direction's norm relative to its (unit) input norm, the Gram matrix of
/// the pushed-forward directions, its singular values, effective rank, and the principal angles (radians) between the
/// augmentation and noise sub-frames.</summary>
public sealed record LayerFrame(string Layer, double[] RelativeNorms, double[,] Gram, double[] SingularValues, double EffectiveRank, double[] PrincipalAngles);

/// <summary>The frame of one input through every chosen layer, and the largest relative gap to finite differences when checked.</summary>
public sealed record FrameResult(IReadOnlyList<FrameDirection> Directions, IReadOnlyList<LayerFrame> Layers, double[]? FiniteDifferenceError);

/// <summary>
/// Neural frames (arXiv 2211.10558): a set of perturbation directions v_i at one input x is pushed through the
/// network, J_ℓ(x)·v_i at every layer ℓ, with forward-mode products (<see cref="Functional.Jvp(Func{Var, Var}, Tensor, IReadOnlyList{Tensor})"/>).
/// Comparing how augmentation, noise and adversarial directions shrink, align and span at each layer shows which
/// modes of variation the model discards (invariance) and which it keeps.
/// </summary>
public static class NeuralFrames
{
    public static FrameResult Compute(Module model, Tensor image, IReadOnlyList<FrameDirection> directions, IReadOnlyList<string> layers, double finiteDifferenceStep = 0)
    {
        if (directions.Count == 0) throw new AtlasArgumentException("directions", "a frame needs at least one direction");
        if (layers.Count == 0) throw new AtlasArgumentException("layers", "name at least one layer");
        var (c, h, w) = FrameDirections.Chw(image);
        var x = image.Reshape(1, c, h, w);
        model.Eval();
        var sizes = new int[layers.Count];
        Var Stacked(Var input)
        {
            // Layers are submodule names, or node names of an imported ONNX graph; the taps carry the tangents.
            var outs = LayerTaps.Outputs(model, input, layers);
            var flat = new List<Var>();
            for (int l = 0; l < layers.Count; l++)
            {
                var o = outs[l];
                sizes[l] = o.Numel;
                flat.Add(F.Reshape(o, 1, o.Numel));
            }
            return F.Cat(flat, 1);
        }
        var dirs = directions.Select(d => d.Direction.Reshape(1, c, h, w)).ToList();
        var (_, jvps) = Functional.Jvp(Stacked, x, dirs);

        double[]? fdError = null;
        if (finiteDifferenceStep > 0)
        {
            fdError = new double[layers.Count];
            using var off = GradMode.NoGrad();
            for (int k = 0; k < dirs.Count; k++)
            {
                var plus = Stacked(new Var(Shift(x, dirs[k], finiteDifferenceStep))).Value.Data;
                var minus = Stacked(new Var(Shift(x, dirs[k], -finiteDifferenceStep))).Value.Data;
                int start = 0;
                for (int l = 0; l < layers.Count; l++)
                {
                    double diff = 0, norm = 0;
                    for (int i = start; i < start + sizes[l]; i++)
                    {
                        double fd = (plus[i] - (double)minus[i]) / (2 * finiteDifferenceStep);
                        diff += (fd - jvps[k].Data[i]) * (fd - jvps[k].Data[i]);
                        norm += (double)jvps[k].Data[i] * jvps[k].Data[i];
                    }
                    fdError[l] = Math.Max(fdError[l], norm > 0 ? Math.Sqrt(diff / norm) : Math.Sqrt(diff));
                    start += sizes[l];
                }
            }
        }

        var result = new List<LayerFrame>();
        int offset = 0;
        for (int l = 0; l < layers.Count; l++)
        {
            var frame = new DMatrix(dirs.Count, sizes[l]);
            for (int k = 0; k < dirs.Count; k++)
                for (int i = 0; i < sizes[l]; i++) frame[k, i] = jvps[k].Data[offset + i];
            offset += sizes[l];
            result.Add(Describe(layers[l], frame, directions));
        }
        return new FrameResult(directions, result, fdError);
    }

    /// <summary>The per-layer statistics of a frame matrix (one pushed-forward direction per row; directions have unit input norm).</summary>
    public static LayerFrame Describe(string layer, DMatrix frame, IReadOnlyList<FrameDirection> directions)
    {
        int m = frame.Rows;
        var norms = new double[m];
        for (int k = 0; k < m; k++)
        {
            double s = 0;
            foreach (double v in frame.Row(k)) s += v * v;
            norms[k] = Math.Sqrt(s); // the input directions have unit norm
        }
        var gram = Blas.AAt(frame);
        var eig = Decompositions.EigSymmetric(gram).Values;
        var sv = eig.Reverse().Select(v => Math.Sqrt(Math.Max(0, v))).ToArray();
        return new LayerFrame(layer, norms, gram.ToArray(), sv, EffectiveRank(sv), PrincipalAngles(frame, directions, "augmentation", "noise"));
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
    public static double[] PrincipalAngles(DMatrix frame, IReadOnlyList<FrameDirection> directions, string groupA, string groupB)
    {
        var qa = Basis(frame, directions, groupA);
        var qb = Basis(frame, directions, groupB);
        if (qa is null || qb is null) return Array.Empty<double>();
        var cos = Decompositions.SingularValues(Blas.Gemm(qa, qb, transA: true));
        return cos.Select(v => Math.Acos(Math.Clamp(v, -1, 1))).ToArray();
    }

    // Orthonormal basis (columns) of the span of one group's rows, dropping directions below 1e-10 of the largest.
    private static DMatrix? Basis(DMatrix frame, IReadOnlyList<FrameDirection> directions, string group)
    {
        var rows = Enumerable.Range(0, directions.Count).Where(k => directions[k].Group == group).ToArray();
        if (rows.Length == 0) return null;
        var t = new DMatrix(frame.Cols, rows.Length);
        for (int r = 0; r < rows.Length; r++)
            for (int i = 0; i < frame.Cols; i++) t[i, r] = frame[rows[r], i];
        var svd = Decompositions.ThinSvd(t);
        if (svd.S.Length == 0 || !(svd.S[0] > 0)) return null;
        int rank = svd.S.Count(s => s > 1e-10 * svd.S[0]);
        var q = new DMatrix(frame.Cols, rank);
        for (int i = 0; i < frame.Cols; i++)
            for (int j = 0; j < rank; j++) q[i, j] = svd.U[i, j];
        return q;
    }

    private static Tensor Shift(Tensor x, Tensor v, double step)
    {
        var d = new float[x.Numel];
        for (int i = 0; i < d.Length; i++) d[i] = (float)(x.Data[i] + step * v.Data[i]);
        return new Tensor(x.Shape, d);
    }
}
