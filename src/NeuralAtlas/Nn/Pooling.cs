using NeuralAtlas.Autograd;

namespace NeuralAtlas.Nn;

/// <summary>nn.MaxPool2d(kernel_size, stride=kernel_size, padding).</summary>
public sealed class MaxPool2d(int kernelSize, int? stride = null, int padding = 0) : Module
{
    public int KernelSize => kernelSize;
    /// <summary>The stride (the kernel size when not given, as PyTorch).</summary>
    public int Stride => stride ?? kernelSize;
    public int Padding => padding;
    protected override Var OnForward(Var x) => F.MaxPool2d(x, kernelSize, stride, padding);
}

/// <summary>nn.AvgPool2d(kernel_size, stride=kernel_size, padding), count_include_pad=True.</summary>
public sealed class AvgPool2d(int kernelSize, int? stride = null, int padding = 0) : Module
{
    public int KernelSize => kernelSize;
    /// <summary>The stride (the kernel size when not given, as PyTorch).</summary>
    public int Stride => stride ?? kernelSize;
    public int Padding => padding;
    protected override Var OnForward(Var x) => F.AvgPool2d(x, kernelSize, stride, padding);
}

/// <summary>nn.AdaptiveAvgPool2d((H, W)).</summary>
public sealed class AdaptiveAvgPool2d(int outH, int outW) : Module
{
    public AdaptiveAvgPool2d(int size) : this(size, size) { }
    protected override Var OnForward(Var x) => F.AdaptiveAvgPool2d(x, outH, outW);
}
