using NeuralAtlas.Autograd;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Nn;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Geometry;

/// <summary>
/// Checks forward-mode frames against rows of the Jacobian from reverse mode: for an output coordinate i of layer ℓ,
/// the cotangent eᵢ gives the row Jᵢ = eᵢᵀJ_ℓ by one Vjp, and (J_ℓ v)ᵢ = ⟨Jᵢ, v⟩ is then exact up to float rounding,
/// whatever the kinks of ReLU or max-pool near x (which make float32 finite differences unusable past the first
/// layer). Layers with at most <c>rows</c> outputs are checked on every row, i.e. against the full Jacobian product;
/// wider layers on <c>rows</c> coordinates drawn at random. The error of a layer is ‖Δ‖₂ / ‖ref‖₂ over the checked
/// coordinates and all directions (the measure of the finite-difference check), 0 when the reference is all zero.
/// </summary>
public static class FrameReverseCheck
{
    public static double[] Compute(Module model, Tensor image, IReadOnlyList<FrameDirection> directions, IReadOnlyList<string> layers, DMatrix[] frames, int rows, Rng rng)
    {
        if (rows <= 0) throw new AtlasArgumentException("rows", $"the reverse-mode check needs at least one row per layer, got {rows}");
        if (frames.Length != layers.Count) throw new AtlasArgumentException("frames", $"{frames.Length} frame matrices for {layers.Count} layers");
        var (c, h, w) = FrameDirections.Chw(image);
        var x = image.Reshape(1, c, h, w);
        int per = c * h * w;
        model.Eval();
        var errors = new double[layers.Count];
        for (int l = 0; l < layers.Count; l++)
        {
            string layer = layers[l];
            int size = frames[l].Cols;
            int[] picked = size <= rows ? Enumerable.Range(0, size).ToArray() : rng.Permutation(size)[..rows];
            var jacobianRows = Rows(model, layer, x, size, picked);
            double diff = 0, norm = 0;
            for (int s = 0; s < picked.Length; s++)
                for (int k = 0; k < directions.Count; k++)
                {
                    var v = directions[k].Direction.Data;
                    double reference = 0;
                    for (int i = 0; i < per; i++) reference += (double)jacobianRows[s * per + i] * v[i];
                    double d = frames[l][k, picked[s]] - reference;
                    diff += d * d;
                    norm += reference * reference;
                }
            errors[l] = norm > 0 ? Math.Sqrt(diff / norm) : Math.Sqrt(diff);
        }
        return errors;
    }

    // Jacobian rows of one layer, row s = e_{picked[s]}ᵀ J, as picked.Length × (C·H·W) floats.
    private static float[] Rows(Module model, string layer, Tensor x, int size, int[] picked)
    {
        int per = x.Numel;
        var result = new float[picked.Length * per];
        Var Tap(Var input) => LayerTaps.Outputs(model, input, new[] { layer })[0];
        int[] outShape;
        using (GradMode.NoGrad()) outShape = Tap(new Var(x)).Shape;
        if (model is NeuralAtlas.Onnx.OnnxModule)
        {
            // A graph's batch axis may be fixed or mixed: one Vjp per row.
            for (int s = 0; s < picked.Length; s++)
            {
                var u = new Tensor(outShape);
                u.Data[picked[s]] = 1;
                Functional.Vjp(Tap, x, u).Vjp.Data.AsSpan().CopyTo(result.AsSpan(s * per, per));
            }
            return result;
        }
        // Zoo models in eval mode treat examples independently: S copies of x, copy s seeded with its own one-hot
        // cotangent, give S rows in one backward pass. Chunks bound the batch.
        const int chunk = 128;
        for (int s0 = 0; s0 < picked.Length; s0 += chunk)
        {
            int b = Math.Min(chunk, picked.Length - s0);
            var xs = Ops.Cat(Enumerable.Repeat(x, b).ToList(), 0);
            var shape = (int[])outShape.Clone();
            shape[0] = b;
            var u = new Tensor(shape);
            for (int s = 0; s < b; s++) u.Data[s * size + picked[s0 + s]] = 1;
            Functional.Vjp(Tap, xs, u).Vjp.Data.AsSpan().CopyTo(result.AsSpan(s0 * per, b * per));
        }
        return result;
    }
}
