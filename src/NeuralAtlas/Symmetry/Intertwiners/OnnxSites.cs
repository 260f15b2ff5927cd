using NeuralAtlas.IO;
using NeuralAtlas.Onnx;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Symmetry.Intertwiners;

/// <summary>
/// Where intertwiners go in an imported ONNX graph, found from its node structure. Supported: chains
/// Conv/Gemm/MatMul [→ BatchNormalization] → Relu or LeakyRelu → (MaxPool, AveragePool, GlobalAveragePool, Flatten,
/// Reshape to [N, −1], Identity, Dropout)* → Conv/Gemm/MatMul, every intermediate value used by exactly one node:
/// then A = P·diag(d) after the activation is absorbed by the producer (A·W, A·b, or BN's γ and β with the
/// convolution only permuted) and the consumer (W·A⁻¹, one block of positions per channel after a Flatten). Anything
/// else at an activation (a residual Add, a value used twice, another nonlinearity, a shared weight) is refused by
/// node name, since a single A would then have to act on two streams at once.
/// </summary>
/// <param name="Sites">The sites in graph order; tensor names are initializer names.</param>
/// <param name="Group">The activations' group (all activations must be the same).</param>
/// <param name="Transposed">Initializers stored [in, out] (Gemm with transB = 0, MatMul): transpose them to [out, in]
/// before <see cref="ChannelIntertwiner.Apply"/> and back after.</param>
/// <param name="Representations">Per site, the activation's output value (the representation A moves).</param>
public sealed record OnnxSites(IReadOnlyList<ChannelSite> Sites, IntertwinerGroup Group, IReadOnlySet<string> Transposed,
    IReadOnlyList<(string Site, string Value)> Representations)
{
    private static readonly HashSet<string> PassThrough = new(StringComparer.Ordinal)
        { "MaxPool", "AveragePool", "GlobalAveragePool", "Flatten", "Reshape", "Identity", "Dropout" };

    /// <param name="model">The graph.</param>
    /// <param name="shapes">Every value's shape on one example (<see cref="OnnxProbe.ValueShapes"/>), for the positions a Flatten folds.</param>
    public static OnnxSites Find(OnnxModel model, IReadOnlyDictionary<string, int[]> shapes)
    {
        var producer = new Dictionary<string, OnnxNode>(StringComparer.Ordinal);
        var users = new Dictionary<string, List<OnnxNode>>(StringComparer.Ordinal);
        foreach (var n in model.Nodes)
        {
            foreach (var o in n.Outputs) producer[o] = n;
            foreach (var i in n.Inputs.Where(i => i.Length > 0))
            {
                if (!users.TryGetValue(i, out var l)) users[i] = l = new List<OnnxNode>();
                if (!l.Contains(n)) l.Add(n);
            }
        }
        var outputs = model.Outputs.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var activations = model.Nodes.Where(n => n.OpType is "Relu" or "LeakyRelu").ToList();
        if (activations.Count == 0)
            throw new AtlasArgumentException("--onnx", $"{model.File}: no Relu or LeakyRelu node, so no intertwiner site; supported chains are Conv/Gemm → Relu → Conv/Gemm");
        var kinds = activations.Select(Describe).Distinct().ToList();
        if (kinds.Count > 1)
            throw new AtlasArgumentException("--onnx", $"{model.File}: the activations differ ({string.Join(", ", kinds)}); one group must serve every site");
        var group = activations[0].OpType == "Relu" ? IntertwinerGroup.For("relu") : IntertwinerGroup.For("leaky_relu", Alpha(activations[0]));

        var sites = new List<ChannelSite>();
        var reps = new List<(string, string)>();
        var transposed = new HashSet<string>(StringComparer.Ordinal);
        var usedWeights = new Dictionary<string, string>(StringComparer.Ordinal);
        string Where(OnnxNode act) => $"{model.File}: activation '{act.Name}'";
        OnnxNode Single(string value, OnnxNode act)
        {
            if (outputs.Contains(value))
                throw new AtlasArgumentException("--onnx", $"{Where(act)}: value '{value}' is a graph output, so the intertwiner would change what the graph returns");
            var u = users.TryGetValue(value, out var l) ? l : new List<OnnxNode>();
            if (u.Count != 1)
                throw new AtlasArgumentException("--onnx", $"{Where(act)}: value '{value}' is used by {u.Count} nodes ({string.Join(", ", u.Select(x => $"'{x.Name}' {x.OpType}"))}); " +
                    "only chains (each value used once, no residual branches) are supported");
            return u[0];
        }
        string Init(OnnxNode n, int input, OnnxNode act, string role)
        {
            if (n.Inputs.Count <= input || !model.Initializers.ContainsKey(n.Inputs[input]))
                throw new AtlasArgumentException("--onnx", $"{Where(act)}: {role} node '{n.Name}' ({n.OpType}) has no initializer as input {input}; its weights must be stored, not computed");
            string name = n.Inputs[input];
            if (usedWeights.TryGetValue(name, out var other) && other != n.Name)
                throw new AtlasArgumentException("--onnx", $"{Where(act)}: initializer '{name}' is shared by nodes '{other}' and '{n.Name}'; a shared weight cannot take two intertwiners");
            usedWeights[name] = n.Name;
            return name;
        }

        foreach (var act in activations)
        {
            // Producer side: the value entering the activation must be made by a layer (optionally through BN) and used only here.
            string pre = act.Inputs[0];
            if (!producer.TryGetValue(pre, out var p))
                throw new AtlasArgumentException("--onnx", $"{Where(act)}: its input '{pre}' is not computed by a node");
            Single(pre, act);
            var producers = new List<Producer>();
            if (p.OpType == "BatchNormalization")
            {
                for (int i = 1; i <= 4; i++)
                    producers.Add(new Producer(Init(p, i, act, "BatchNormalization"), i <= 2 ? ProducerRole.Scale : ProducerRole.PermuteOnly));
                string bnIn = p.Inputs[0];
                if (!producer.TryGetValue(bnIn, out var layer) || layer.OpType is not ("Conv" or "Gemm" or "MatMul"))
                    throw new AtlasArgumentException("--onnx", $"{Where(act)}: BatchNormalization '{p.Name}' does not follow a Conv, Gemm or MatMul node");
                Single(bnIn, act);
                producers.InsertRange(0, LayerProducers(layer, act, ProducerRole.PermuteOnly));
            }
            else if (p.OpType is "Conv" or "Gemm" or "MatMul") producers.AddRange(LayerProducers(p, act, ProducerRole.Scale));
            else
                throw new AtlasArgumentException("--onnx", $"{Where(act)}: its input comes from '{p.Name}' ({p.OpType}); supported producers are Conv, Gemm, MatMul, optionally followed by BatchNormalization");

            // Consumer side: pass-through nodes that commute with A, then the next layer.
            string v = act.Outputs[0];
            long block = 1;
            while (true)
            {
                var u = Single(v, act);
                if (PassThrough.Contains(u.OpType))
                {
                    if (u.Inputs[0] != v) throw new AtlasArgumentException("--onnx", $"{Where(act)}: '{u.Name}' ({u.OpType}) takes '{v}' as a shape or parameter input");
                    if (u.OpType is "Flatten" or "Reshape")
                    {
                        if (!shapes.TryGetValue(v, out var sIn) || !shapes.TryGetValue(u.Outputs[0], out var sOut) || sOut.Length != 2 || sOut[0] != sIn[0])
                            throw new AtlasArgumentException("--onnx", $"{Where(act)}: '{u.Name}' ({u.OpType}) does not flatten to [N, features]");
                        for (int d = 2; d < sIn.Length; d++) block *= sIn[d];
                    }
                    foreach (var extra in u.Outputs.Skip(1).Where(users.ContainsKey))
                        throw new AtlasArgumentException("--onnx", $"{Where(act)}: the second output '{extra}' of '{u.Name}' ({u.OpType}) is used; it would not move with A");
                    v = u.Outputs[0];
                    continue;
                }
                if (u.OpType is not ("Conv" or "Gemm" or "MatMul"))
                    throw new AtlasArgumentException("--onnx", $"{Where(act)}: node '{u.Name}' ({u.OpType}) follows it; between an activation and the next layer only " +
                        $"{string.Join(", ", PassThrough)} are supported");
                if (u.Inputs[0] != v) throw new AtlasArgumentException("--onnx", $"{Where(act)}: '{u.Name}' ({u.OpType}) takes the representation as its weight, not its input");
                if (u.OpType == "Conv" && block != 1) throw new AtlasArgumentException("--onnx", $"{Where(act)}: Conv '{u.Name}' follows a Flatten");
                if (u.OpType == "Conv" && Int(u, "group", 1) != 1) throw new AtlasArgumentException("--onnx", $"{Where(act)}: Conv '{u.Name}' is grouped (group = {Int(u, "group", 1)}); its channels cannot be permuted freely");
                if (u.OpType == "Gemm" && Int(u, "transA", 0) != 0) throw new AtlasArgumentException("--onnx", $"{Where(act)}: Gemm '{u.Name}' has transA = 1");
                string w = Init(u, 1, act, "consumer");
                if (u.OpType == "MatMul" || (u.OpType == "Gemm" && Int(u, "transB", 0) == 0)) transposed.Add(w);
                int channels = shapes.TryGetValue(act.Outputs[0], out var rs) && rs.Length >= 2 ? rs[1] : throw new AtlasArgumentException("--onnx", $"{Where(act)}: its output is not [N, C, ...]");
                sites.Add(new ChannelSite(act.Name, channels, producers, new[] { new Consumer(w, checked((int)block)) }));
                reps.Add((act.Name, act.Outputs[0]));
                break;
            }
        }
        return new OnnxSites(sites, group, transposed, reps);

        IEnumerable<Producer> LayerProducers(OnnxNode layer, OnnxNode act, ProducerRole role)
        {
            if (layer.OpType == "Conv" && Int(layer, "group", 1) != 1)
                throw new AtlasArgumentException("--onnx", $"{Where(act)}: Conv '{layer.Name}' is grouped (group = {Int(layer, "group", 1)})");
            if (layer.OpType == "Gemm" && Int(layer, "transA", 0) != 0) throw new AtlasArgumentException("--onnx", $"{Where(act)}: Gemm '{layer.Name}' has transA = 1");
            string w = Init(layer, 1, act, "producer");
            if (layer.OpType == "MatMul" || (layer.OpType == "Gemm" && Int(layer, "transB", 0) == 0)) transposed.Add(w);
            var list = new List<Producer> { new(w, role) };
            if (layer.OpType != "MatMul" && layer.Inputs.Count > 2 && layer.Inputs[2].Length > 0)
            {
                string b = Init(layer, 2, act, "producer");
                if (model.Initializers[b].Rank != 1)
                    throw new AtlasArgumentException("--onnx", $"{Where(act)}: bias '{b}' of '{layer.Name}' has shape [{string.Join(", ", model.Initializers[b].Shape)}], not a vector");
                list.Add(new Producer(b, role));
            }
            return list;
        }
    }

    /// <summary>
    /// A fresh copy of <paramref name="model"/> (re-read from its file) whose initializers carry a random element of
    /// <see cref="Group"/> at every site, drawn from <paramref name="rng"/> in site order; the graph's function is unchanged.
    /// </summary>
    public OnnxModel Intertwine(OnnxModel model, Rng rng)
    {
        var touched = Sites.SelectMany(s => s.Producers.Select(p => p.Name).Concat(s.Consumers.Select(c => c.Name))).Distinct().ToList();
        var state = new List<KeyValuePair<string, Tensor>>();
        foreach (string name in touched)
        {
            var a = model.Initializers[name];
            if (a.DType is not (NdType.Float32 or NdType.Float64))
                throw new AtlasArgumentException("--onnx", $"{model.File}: initializer '{name}' is {a.DType}; intertwining needs float32 or float64 weights");
            var t = a.ToTensor();
            state.Add(new(name, Transposed.Contains(name) ? Ops.Transpose(t, 0, 1) : t));
        }
        var (moved, _) = ChannelIntertwiner.Apply(state, Sites, Group, rng);
        var copy = OnnxModel.Load(model.File);
        foreach (var (name, t0) in moved)
        {
            var t = Transposed.Contains(name) ? Ops.Transpose(t0, 0, 1) : t0;
            copy.Initializers[name] = copy.Initializers[name].DType == NdType.Float64
                ? NdArray.FromDoubles(t.Data.Select(v => (double)v).ToArray(), t.Shape)
                : NdArray.FromTensor(t);
        }
        return copy;
    }

    private static string Describe(OnnxNode n) => n.OpType == "Relu" ? "Relu" : $"LeakyRelu(alpha={Alpha(n)})";
    private static double Alpha(OnnxNode n) => n.Attributes.TryGetValue("alpha", out var a) && a.Float is float f ? f : 0.01;
    private static long Int(OnnxNode n, string name, long fallback) => n.Attributes.TryGetValue(name, out var a) && a.Int is long v ? v : fallback;
}
