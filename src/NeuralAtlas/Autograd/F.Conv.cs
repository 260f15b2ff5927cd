using NeuralAtlas.Tensors;

namespace NeuralAtlas.Autograd;

/// <summary>
/// 2-D convolution and transposed convolution. The forward, input-gradient and weight-gradient kernels are each
/// a recorded op whose backward is expressed with the other two, so convolutions differentiate to any order.
/// </summary>
public static partial class F
{
    /// <summary>torch.nn.functional.conv2d: x [N, C, H, W], weight [O, C/groups, KH, KW], bias [O].</summary>
    public static Var Conv2d(Var x, Var weight, Var? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1)
        => Conv2d(x, weight, bias, (stride, stride), (padding, padding), (dilation, dilation), groups);

    public static Var Conv2d(Var x, Var weight, Var? bias, (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, int groups = 1)
    {
        var g = Geometry("conv2d", x.Shape, weight.Shape, stride, padding, dilation, groups);
        if (bias is null) return ConvCore(x, weight, g);
        if (bias.Rank != 1 || bias.Shape[0] != g.O) throw new ShapeMismatchException("conv2d", bias.Shape, new[] { g.O }, "bias must have one value per output channel");
        // Bias added in place into the fresh output: one node, no extra copy of the largest activation.
        var y = ConvKernels.Forward(x.Value, weight.Value, g);
        AddBiasInPlace(y, bias.Value);
        return Record(y, "conv2d", new[] { x, weight, bias }, gy => new[]
        {
            x.RequiresGrad ? ConvInputGrad(gy, weight, g) : null,
            weight.RequiresGrad ? ConvWeightGrad(x, gy, g) : null,
            bias.RequiresGrad ? ChannelSum(gy) : null,
        });
    }

    /// <summary>
    /// torch.nn.functional.conv_transpose2d: x [N, Cin, H, W], weight [Cin, Cout/groups, KH, KW]; output size
    /// (H−1)·stride − 2·padding + dilation·(K−1) + output_padding + 1.
    /// </summary>
    public static Var ConvTranspose2d(Var x, Var weight, Var? bias = null, int stride = 1, int padding = 0, int outputPadding = 0, int dilation = 1, int groups = 1)
    {
        if (x.Rank != 4 || weight.Rank != 4 || x.Shape[1] != weight.Shape[0] || groups <= 0 || x.Shape[1] % groups != 0)
            throw new ShapeMismatchException("conv_transpose2d", x.Shape, weight.Shape, "input [N, Cin, H, W] needs weight [Cin, Cout/groups, KH, KW]");
        if (outputPadding < 0 || outputPadding >= Math.Max(stride, dilation))
            throw new AtlasArgumentException("output_padding", $"must be smaller than stride or dilation, got {outputPadding}");
        int kh = weight.Shape[2], kw = weight.Shape[3];
        int h = (x.Shape[2] - 1) * stride - 2 * padding + dilation * (kh - 1) + outputPadding + 1;
        int w = (x.Shape[3] - 1) * stride - 2 * padding + dilation * (kw - 1) + outputPadding + 1;
        int cout = weight.Shape[1] * groups;
        // The transposed convolution is the input-gradient of a convolution from [N, Cout, h, w] with this weight.
        var g = new ConvGeometry(x.Shape[0], cout, h, w, x.Shape[1], kh, kw, stride, stride, padding, padding, dilation, dilation, groups);
        if (g.OH != x.Shape[2] || g.OW != x.Shape[3])
            throw new ShapeMismatchException("conv_transpose2d", x.Shape, weight.Shape, "stride/padding do not give a consistent output size");
        var y = ConvInputGrad(x, weight, g);
        return bias is null ? y : AddChannelBias(y, bias, "conv_transpose2d");
    }

    private static Var AddChannelBias(Var y, Var bias, string op)
    {
        if (bias.Rank != 1 || bias.Shape[0] != y.Shape[1]) throw new ShapeMismatchException(op, bias.Shape, new[] { y.Shape[1] }, "bias must have one value per output channel");
        var v = y.Value.Clone();
        AddBiasInPlace(v, bias.Value);
        return Record(v, op + "_bias", new[] { y, bias }, g => new[]
        {
            y.RequiresGrad ? g : null,
            bias.RequiresGrad ? ChannelSum(g) : null,
        });
    }

    private static void AddBiasInPlace(Tensor y, Tensor bias)
    {
        int c = y.Shape[1], plane = y.Shape[2] * y.Shape[3];
        for (int n = 0; n < y.Shape[0]; n++)
            for (int o = 0; o < c; o++)
            {
                var row = y.Data.AsSpan((n * c + o) * plane, plane);
                System.Numerics.Tensors.TensorPrimitives.Add(row, bias.Data[o], row);
            }
    }

    // Σ over N, H, W of [N, C, H, W] → [C], in one pass (the bias gradient); its adjoint broadcasts back.
    private static Var ChannelSum(Var g)
    {
        int n = g.Shape[0], c = g.Shape[1], plane = g.Shape[2] * g.Shape[3];
        var r = new Tensor(c);
        var gd = g.Value.Data;
        for (int i = 0; i < n; i++)
            for (int o = 0; o < c; o++) r.Data[o] += System.Numerics.Tensors.TensorPrimitives.Sum(gd.AsSpan((i * c + o) * plane, plane));
        var shape = g.Shape;
        return Record(r, "channel_sum", new[] { g }, gz => new[] { Expand(Reshape(gz, 1, c, 1, 1), shape) });
    }

    internal static ConvGeometry Geometry(string op, int[] x, int[] w, (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, int groups)
    {
        if (x.Length != 4) throw new ShapeMismatchException(op, $"input must be [N, C, H, W], got {ShapeMismatchException.Format(x)}");
        if (w.Length != 4) throw new ShapeMismatchException(op, $"weight must be [O, C/groups, KH, KW], got {ShapeMismatchException.Format(w)}");
        if (groups <= 0 || x[1] % groups != 0 || w[0] % groups != 0)
            throw new AtlasArgumentException("groups", $"{groups} groups must divide input channels {x[1]} and output channels {w[0]}");
        if (w[1] * groups != x[1]) throw new ShapeMismatchException(op, x, w, $"weight expects {w[1] * groups} input channels, input has {x[1]}");
        if (stride.H <= 0 || stride.W <= 0 || dilation.H <= 0 || dilation.W <= 0 || padding.H < 0 || padding.W < 0)
            throw new AtlasArgumentException("stride", $"stride and dilation must be positive and padding non-negative (stride {stride}, padding {padding}, dilation {dilation})");
        var g = new ConvGeometry(x[0], x[1], x[2], x[3], w[0], w[2], w[3], stride.H, stride.W, padding.H, padding.W, dilation.H, dilation.W, groups);
        if (g.OH <= 0 || g.OW <= 0) throw new ShapeMismatchException(op, x, w, "the kernel (with dilation) is larger than the padded input");
        return g;
    }

    private static Var ConvCore(Var x, Var w, ConvGeometry g) =>
        Record(ConvKernels.Forward(x.Value, w.Value, g), "conv2d", new[] { x, w }, gy => new[]
        {
            x.RequiresGrad ? ConvInputGrad(gy, w, g) : null,
            w.RequiresGrad ? ConvWeightGrad(x, gy, g) : null,
        });

    // z = Bᵢ(gy, w): adjoint of conv in x. ⟨Bᵢ(gy,w), gz⟩ = ⟨gy, conv(gz,w)⟩, so d/dgy = conv(gz, w), d/dw = B_w(gz, gy).
    private static Var ConvInputGrad(Var gy, Var w, ConvGeometry g) =>
        Record(ConvKernels.BackwardInput(gy.Value, w.Value, g with { N = gy.Shape[0] }), "conv2d_backward_input", new[] { gy, w }, gz => new[]
        {
            gy.RequiresGrad ? ConvCore(gz, w, g with { N = gz.Shape[0] }) : null,
            w.RequiresGrad ? ConvWeightGrad(gz, gy, g with { N = gz.Shape[0] }) : null,
        });

    // z = B_w(x, gy): ⟨B_w(x,gy), gz⟩ = ⟨conv(x, gz), gy⟩, so d/dx = Bᵢ(gy, gz), d/dgy = conv(x, gz).
    private static Var ConvWeightGrad(Var x, Var gy, ConvGeometry g) =>
        Record(ConvKernels.BackwardWeight(x.Value, gy.Value, g), "conv2d_backward_weight", new[] { x, gy }, gz => new[]
        {
            x.RequiresGrad ? ConvInputGrad(gy, gz, g) : null,
            gy.RequiresGrad ? ConvCore(x, gz, g) : null,
        });
}
