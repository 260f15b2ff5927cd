using NeuralAtlas.Autograd;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Nn;

/// <summary>nn.Conv2d: <c>weight</c> [O, C/groups, K, K], <c>bias</c> [O]; PyTorch's default initialisation.</summary>
public sealed class Conv2d : Module
{
    public int InChannels { get; }
    public int OutChannels { get; }
    public int KernelSize { get; }
    public int Stride { get; }
    public int Padding { get; }
    public int Dilation { get; }
    public int Groups { get; }
    public Var Weight { get; }
    public Var? Bias { get; }

    public Conv2d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride = 1, int padding = 0, int dilation = 1, int groups = 1, bool bias = true)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0) throw new AtlasArgumentException("channels", $"Conv2d({inChannels}, {outChannels}, {kernelSize}) needs positive sizes");
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) throw new AtlasArgumentException("groups", $"{groups} must divide {inChannels} and {outChannels}");
        (InChannels, OutChannels, KernelSize, Stride, Padding, Dilation, Groups) = (inChannels, outChannels, kernelSize, stride, padding, dilation, groups);
        var w = new Tensor(outChannels, inChannels / groups, kernelSize, kernelSize);
        var b = bias ? new Tensor(outChannels) : null;
        Init.LinearDefault(w, b, rng);
        Weight = RegisterParameter("weight", w);
        if (b is not null) Bias = RegisterParameter("bias", b);
    }

    protected override Var OnForward(Var x) => F.Conv2d(x, Weight, Bias, Stride, Padding, Dilation, Groups);

    public override string ToString() => $"Conv2d({InChannels}, {OutChannels}, kernel_size={KernelSize}, stride={Stride}, padding={Padding})";
}

/// <summary>nn.ConvTranspose2d: <c>weight</c> [Cin, Cout/groups, K, K], <c>bias</c> [Cout].</summary>
public sealed class ConvTranspose2d : Module
{
    public int Stride { get; }
    public int Padding { get; }
    public int OutputPadding { get; }
    public int Dilation { get; }
    public int Groups { get; }
    public Var Weight { get; }
    public Var? Bias { get; }

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride = 1, int padding = 0, int outputPadding = 0, int groups = 1, bool bias = true, int dilation = 1)
    {
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) throw new AtlasArgumentException("groups", $"{groups} must divide {inChannels} and {outChannels}");
        (Stride, Padding, OutputPadding, Dilation, Groups) = (stride, padding, outputPadding, dilation, groups);
        var w = new Tensor(inChannels, outChannels / groups, kernelSize, kernelSize);
        var b = bias ? new Tensor(outChannels) : null;
        // PyTorch's fan_in for a transposed conv weight is its dimension 1 times the kernel area.
        Init.LinearDefault(w, b, rng);
        Weight = RegisterParameter("weight", w);
        if (b is not null) Bias = RegisterParameter("bias", b);
    }

    protected override Var OnForward(Var x) => F.ConvTranspose2d(x, Weight, Bias, Stride, Padding, OutputPadding, Dilation, Groups);
}
