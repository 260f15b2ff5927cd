using NeuralAtlas.Autograd;
using NeuralAtlas.IO;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Onnx;

/// <summary>
/// The differentiable (float) side of the indexing, normalisation, padding and resampling operators; their integer
/// side is evaluated by <see cref="OnnxConstFold"/>. Index, shape, pad and scale inputs must be constants.
/// </summary>
internal static class OnnxOpsExtra
{
    public static bool Apply(OnnxNode n, Dictionary<string, Var> env, Dictionary<string, NdArray> consts, Func<string, AtlasFormatException> bad)
    {
        bool Has(int i) => i < n.Inputs.Count && n.Inputs[i].Length > 0;
        Var In(int i)
        {
            if (!Has(i)) throw bad($"input {i}");
            if (env.TryGetValue(n.Inputs[i], out var v)) return v;
            if (consts.TryGetValue(n.Inputs[i], out var c)) return F.Const(c.ToTensor());
            throw bad($"a value for input '{n.Inputs[i]}'");
        }
        long[] Ints(int i) => consts.TryGetValue(n.Inputs[i], out var c) ? OnnxConstFold.IArr.Of(c).D
            : throw bad($"input '{n.Inputs[i]}' to be a constant (an initializer, a Constant node or computed from shapes)");
        long I(string a, long d) => n.Attributes.TryGetValue(a, out var v) && v.Int is long x ? x : d;
        float Fl(string a, float d) => n.Attributes.TryGetValue(a, out var v) && v.Float is float x ? x : d;
        string S(string a, string d) => n.Attributes.TryGetValue(a, out var v) && v.String is string x ? x : d;
        long[]? Is(string a) => n.Attributes.TryGetValue(a, out var v) ? v.Ints?.ToArray() : null;
        void Out(Var v) => env[n.Outputs[0]] = v;
        int Axis(long a, int rank) => (int)(a < 0 ? a + rank : a);

        switch (n.OpType)
        {
            case "Neg": Out(F.Scale(In(0), -1)); return true;
            case "Cast":
            {
                long to = I("to", 1);
                if (to is 1 or 10 or 11 or 16) { Out(In(0)); return true; }
                // A float value cast to integers leaves the differentiable path: it is data, not a parameter.
                var t = In(0).Value;
                consts[n.Outputs[0]] = NdArray.FromInt64s(t.Data.Select(v => to == 9 ? (v != 0 ? 1L : 0L) : (long)Math.Truncate(v)).ToArray(), t.Shape);
                return true;
            }
            case "Equal":
            {
                var a = In(0).Value; var b = In(1).Value;
                var shape = Broadcast.Shape("Equal", a.Shape, b.Shape);
                var aa = Broadcast.To(a, shape); var bb = Broadcast.To(b, shape);
                consts[n.Outputs[0]] = NdArray.FromInt64s(aa.Data.Select((v, i) => v == bb.Data[i] ? 1L : 0L).ToArray(), shape);
                return true;
            }
            case "Where":
            {
                if (!consts.TryGetValue(n.Inputs[0], out var c)) throw bad("a constant condition (masks computed from data values are not supported)");
                var cond = new Tensor(c.Shape, OnnxConstFold.IArr.Of(c).D.Select(v => v != 0 ? 1f : 0f).ToArray());
                Out(F.Where(cond, In(1), In(2)));
                return true;
            }
            case "Expand":
            {
                var x = In(0);
                Out(F.Expand(x, Broadcast.Shape("Expand", x.Shape, Ints(1).Select(v => checked((int)v)).ToArray())));
                return true;
            }
            case "Gather":
            {
                var x = In(0);
                int axis = Axis(I("axis", 0), x.Rank);
                var idxArr = consts.TryGetValue(n.Inputs[1], out var ic) ? ic : throw bad("constant indices");
                var idx = OnnxConstFold.IArr.Of(idxArr).D.Select(v => (int)(v < 0 ? v + x.Shape[axis] : v)).ToArray();
                if (idx.Any(v => v < 0 || v >= x.Shape[axis])) throw bad($"indices inside [0, {x.Shape[axis]})");
                var y = F.IndexSelect(x, axis, idx);
                Out(F.Reshape(y, x.Shape[..axis].Concat(idxArr.Shape).Concat(x.Shape[(axis + 1)..]).ToArray()));
                return true;
            }
            case "Slice":
            {
                var x = In(0);
                foreach (var (axis, index) in OnnxShapes.SliceIndices(x.Shape, Ints(1), Ints(2), Has(3) ? Ints(3) : null, Has(4) ? Ints(4) : null))
                {
                    bool contiguous = index.Length > 0 && index.Select((v, i) => v - i).Distinct().Count() == 1;
                    x = contiguous ? F.Narrow(x, axis, index[0], index.Length) : F.IndexSelect(x, axis, index);
                }
                Out(x);
                return true;
            }
            case "Split":
            {
                var x = In(0);
                int axis = Axis(I("axis", 0), x.Rank), total = x.Shape[axis], parts = n.Outputs.Count;
                long[] sizes = Is("split") ?? (Has(1) ? Ints(1) : null)
                    ?? Enumerable.Range(0, parts).Select(i => (long)((total + parts - 1) / parts)).Select((s, i) => Math.Min(s, Math.Max(0, total - i * s))).ToArray();
                if (sizes.Length != parts || sizes.Sum() != total) throw bad($"split sizes adding to {total} over {parts} outputs");
                int off = 0;
                for (int i = 0; i < parts; i++)
                {
                    env[n.Outputs[i]] = F.Narrow(x, axis, off, (int)sizes[i]);
                    off += (int)sizes[i];
                }
                return true;
            }
            case "ReduceMax":
            {
                var x = In(0);
                long[]? axes = Is("axes") ?? (Has(1) ? Ints(1) : null);
                bool keep = I("keepdims", 1) != 0;
                var ax = (axes is null || axes.Length == 0 ? Enumerable.Range(0, x.Rank) : axes.Select(a => Axis(a, x.Rank))).OrderDescending().ToArray();
                foreach (int a in ax) x = F.Max(x, a, keepDim: keep);
                Out(x);
                return true;
            }
            case "LayerNormalization":
            {
                var x = In(0);
                int axis = Axis(I("axis", -1), x.Rank);
                if (n.Outputs.Count > 1 && n.Outputs.Skip(1).Any(o => o.Length > 0)) throw bad("only the normalised output (Mean and InvStdDev outputs are training-only)");
                Out(F.LayerNorm(x, x.Rank - axis, Has(1) ? In(1) : null, Has(2) ? In(2) : null, Fl("epsilon", 1e-5f)));
                return true;
            }
            case "GroupNormalization":
            {
                var x = In(0);
                int groups = (int)I("num_groups", 0), c = x.Shape[1];
                if (groups <= 0 || c % groups != 0) throw bad($"num_groups dividing the {c} channels");
                // Opset 18 gives scale and bias per group, opset 21 per channel: spread per-group values over channels.
                Var PerChannel(Var v) => v.Numel == c ? v : v.Numel == groups
                    ? F.IndexSelect(v, 0, Enumerable.Range(0, c).Select(ch => ch / (c / groups)).ToArray())
                    : throw bad($"scale and bias of length {c} or {groups}");
                Out(F.GroupNorm(x, groups, PerChannel(In(1)), PerChannel(In(2)), Fl("epsilon", 1e-5f)));
                return true;
            }
            case "ConvTranspose":
            {
                var x = In(0);
                if (x.Rank != 4) throw bad($"a 2-D transposed convolution (N×C×H×W input), got rank {x.Rank}");
                if (n.Attributes.TryGetValue("auto_pad", out var ap) && ap.String is not (null or "NOTSET")) throw bad($"auto_pad NOTSET, not {ap.String}");
                if (n.Attributes.ContainsKey("output_shape")) throw bad("output_padding rather than output_shape");
                long[] s = Is("strides") ?? new long[] { 1, 1 }, d = Is("dilations") ?? new long[] { 1, 1 }, p = Is("pads") ?? new long[] { 0, 0, 0, 0 },
                    op = Is("output_padding") ?? new long[] { 0, 0 };
                if (s[0] != s[1] || d[0] != d[1] || op[0] != op[1] || p.Distinct().Count() > 1) throw bad("equal strides, dilations, output_padding and pads on both axes");
                Out(F.ConvTranspose2d(x, In(1), Has(2) ? In(2) : null, (int)s[0], (int)p[0], (int)op[0], (int)d[0], (int)I("group", 1)));
                return true;
            }
            case "Pad":
            {
                var x = In(0);
                string mode = S("mode", "constant");
                if (mode is not ("constant" or "reflect" or "edge")) throw bad($"mode 'constant', 'reflect' or 'edge', not '{mode}'");
                long[] pads = Is("pads") ?? Ints(1);
                int r = x.Rank;
                long[] axes = Has(3) ? Ints(3).Select(a => (long)Axis(a, r)).ToArray() : Enumerable.Range(0, r).Select(i => (long)i).ToArray();
                if (pads.Length != 2 * axes.Length) throw bad($"{2 * axes.Length} pads");
                var begin = new int[r]; var end = new int[r];
                for (int k = 0; k < axes.Length; k++) { begin[axes[k]] = (int)pads[k]; end[axes[k]] = (int)pads[k + axes.Length]; }
                if (mode != "constant")
                {
                    Out(OnnxResample.PadByIndex(x, begin, end, mode == "reflect", bad));
                    return true;
                }
                float value = Has(2) ? In(2).Value.Data[0] : Fl("value", 0);
                // torch order: (last begin, last end, second-to-last begin, ...).
                var tp = new int[2 * r];
                for (int k = 0; k < r; k++) { tp[2 * k] = begin[r - 1 - k]; tp[2 * k + 1] = end[r - 1 - k]; }
                Out(F.Pad(x, tp, value));
                return true;
            }
            case "Resize":
            {
                var x = In(0);
                string mode = S("mode", "nearest");
                if (mode is not ("nearest" or "linear")) throw bad($"mode 'nearest' or 'linear' (cubic resampling is not implemented), not '{mode}'");
                if (I("antialias", 0) != 0) throw bad("antialias 0");
                string ct = S("coordinate_transformation_mode", "half_pixel"), nm = S("nearest_mode", "round_prefer_floor");
                int[] outShape;
                double[] scales;
                if (Has(3))
                {
                    outShape = Ints(3).Select(v => (int)v).ToArray();
                    if (outShape.Length != x.Rank) throw bad($"{x.Rank} sizes");
                    scales = outShape.Select((o, i) => (double)o / x.Shape[i]).ToArray();
                }
                else if (Has(2) && (consts.TryGetValue(n.Inputs[2], out var sc) ? sc.ToTensor() : env.TryGetValue(n.Inputs[2], out var sv) ? sv.Value : null) is Tensor st && st.Numel > 0)
                {
                    if (st.Numel != x.Rank) throw bad($"{x.Rank} scales");
                    // The coordinate transforms use the scale as given, not out/in (they differ when in·scale is not whole).
                    scales = st.Data.Select(f => (double)f).ToArray();
                    outShape = scales.Select((f, i) => (int)Math.Floor(x.Shape[i] * f)).ToArray();
                }
                else throw bad("constant scales or sizes");
                if (ct is not ("asymmetric" or "align_corners" or "half_pixel" or "pytorch_half_pixel"))
                    throw bad($"coordinate_transformation_mode half_pixel, pytorch_half_pixel, align_corners or asymmetric, not '{ct}'");
                Out(mode == "linear" ? OnnxResample.Linear(x, outShape, scales, ct) : OnnxResample.Nearest(x, outShape, scales, ct, nm, bad));
                return true;
            }
        }
        return false;
    }
}
