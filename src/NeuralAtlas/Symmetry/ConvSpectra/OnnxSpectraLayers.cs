using NeuralAtlas.IO;
using NeuralAtlas.Onnx;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Symmetry.ConvSpectra;

/// <summary>
/// The layer weights of an imported ONNX graph for <see cref="ModelSpectra.Analyse"/>: every Conv weight initializer
/// (4-D) with its geometry, and every Gemm/MatMul weight initializer (2-D, as C_out × C_in), named after the
/// initializer. A convolution's input size is measured by one probing run (<see cref="OnnxProbe"/>) and its stride
/// read from the node's <c>strides</c>; <c>pads</c> (and auto_pad) only shift the circular operator's blocks by
/// unimodular phases, so they do not change its singular values and are not needed. Grouped or dilated convolutions
/// and non-square inputs keep their reshaped-weight spectrum but get no operator spectrum; <see cref="Notes"/> says why.
/// </summary>
public sealed record OnnxSpectraLayers(List<KeyValuePair<string, Tensor>> Weights, Dictionary<string, ConvGeometry> Geometry, List<string> Notes)
{
    /// <param name="model">The graph.</param>
    /// <param name="inputSize">Spatial size for a 4-D input whose H and W are symbolic; 0 skips operator spectra.</param>
    public static OnnxSpectraLayers Collect(OnnxModel model, int inputSize)
    {
        var weights = new List<KeyValuePair<string, Tensor>>();
        var geometry = new Dictionary<string, ConvGeometry>(StringComparer.Ordinal);
        var notes = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // One probing run serves both the convolutions' input sizes and weights computed from initializers in the graph.
        Dictionary<string, Tensor>? values = null;
        string? probeError = null;
        Dictionary<string, Tensor>? Probe()
        {
            if (values is null && probeError is null)
            {
                try { values = OnnxProbe.Values(new OnnxModule(model), OnnxProbe.InputShape(model, inputSize)); }
                catch (AtlasArgumentException e) { probeError = e.Message; }
            }
            return values;
        }
        bool convs = model.Nodes.Any(n => n.OpType == "Conv" && n.Inputs.Count > 1 && model.Initializers.ContainsKey(n.Inputs[1]));
        Dictionary<string, int[]>? shapes = null;
        if (inputSize > 0 && convs && Probe() is { } v0)
            shapes = v0.ToDictionary(kv => kv.Key, kv => kv.Value.Shape, StringComparer.Ordinal);
        foreach (var n in model.Nodes)
        {
            if (n.OpType is not ("Conv" or "Gemm" or "MatMul") || n.Inputs.Count < 2) continue;
            string w = n.Inputs[1];
            if (!seen.Add(w)) continue; // a shared weight is one layer
            Tensor t;
            if (model.Initializers.TryGetValue(w, out var array))
            {
                if (!array.DType.IsFloat()) { notes.Add($"{n.Name} ({n.OpType}): weight '{w}' is {array.DType}, not floating point; skipped"); continue; }
                t = array.ToTensor();
            }
            else if (!OnnxProbe.IsInputIndependent(model, w))
            {
                notes.Add($"{n.Name} ({n.OpType}): its second operand '{w}' depends on the input (an activation product, not a weight); skipped");
                continue;
            }
            else if (Probe() is { } v && v.TryGetValue(w, out var computed)) t = computed; // sliced/transposed from initializers
            else
            {
                notes.Add($"{n.Name} ({n.OpType}): its weight '{w}' is computed in the graph and the graph could not be run to compute it{(probeError is null ? "" : $" ({probeError})")}; skipped");
                continue;
            }
            if (n.OpType == "Conv")
            {
                if (t.Rank != 4) { notes.Add($"{n.Name} (Conv): weight '{w}' has rank {t.Rank}; only 2-D convolutions are analysed"); continue; }
                weights.Add(new(w, t));
                if (shapes is null) continue;
                if (ConvGeometryOf(n, shapes, out string why) is { } g) geometry[w] = g;
                else notes.Add($"{n.Name} (Conv): no operator spectrum: {why}");
            }
            else
            {
                if (t.Rank != 2) { notes.Add($"{n.Name} ({n.OpType}): weight '{w}' has rank {t.Rank}, not a matrix; skipped"); continue; }
                bool inOut = n.OpType == "MatMul" || Int(n, "transB", 0) == 0; // stored [in, out]: analyse as [out, in] like PyTorch's Linear
                weights.Add(new(w, inOut ? Ops.Transpose(t, 0, 1) : t));
            }
        }
        return new OnnxSpectraLayers(weights, geometry, notes);
    }

    private static ConvGeometry? ConvGeometryOf(OnnxNode n, Dictionary<string, int[]> shapes, out string why)
    {
        why = "";
        if (Int(n, "group", 1) != 1) { why = $"group = {Int(n, "group", 1)}"; return null; }
        var dil = Ints(n, "dilations");
        if (dil is not null && dil.Any(d => d != 1)) { why = $"dilations = [{string.Join(", ", dil)}]"; return null; }
        if (!shapes.TryGetValue(n.Inputs[0], out var x) || x.Length != 4) { why = "its input is not a 4-D value"; return null; }
        if (x[2] != x[3]) { why = $"its input is {x[2]}×{x[3]}, not square"; return null; }
        var st = Ints(n, "strides");
        int s = st is null ? 1 : (int)st[0];
        if (st is not null && st.Any(v => v != s)) { why = $"strides = [{string.Join(", ", st)}] differ per axis"; return null; }
        if (x[2] % s != 0) { why = $"stride {s} does not divide the input size {x[2]}"; return null; }
        return new ConvGeometry(x[2], s);
    }

    private static long Int(OnnxNode n, string name, long fallback) => n.Attributes.TryGetValue(name, out var a) && a.Int is long v ? v : fallback;
    private static IReadOnlyList<long>? Ints(OnnxNode n, string name) => n.Attributes.TryGetValue(name, out var a) ? a.Ints : null;
}
