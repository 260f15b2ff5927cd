using NeuralAtlas.Tensors;

namespace NeuralAtlas.Symmetry.ConvSpectra;

/// <summary>A 2-D convolution weight in double: PyTorch layout C_out × C_in × kh × kw, row-major.</summary>
public sealed class ConvKernel
{
    public int OutChannels { get; }
    public int InChannels { get; }
    public int KernelHeight { get; }
    public int KernelWidth { get; }
    public double[] Data { get; }

    public ConvKernel(int cOut, int cIn, int kh, int kw, double[] data)
    {
        if (cOut < 1 || cIn < 1 || kh < 1 || kw < 1)
            throw new AtlasArgumentException("weight", $"a convolution weight needs positive dimensions, got {cOut}×{cIn}×{kh}×{kw}");
        if (data.Length != (long)cOut * cIn * kh * kw)
            throw new ShapeMismatchException("ConvKernel", $"{cOut}×{cIn}×{kh}×{kw} needs {(long)cOut * cIn * kh * kw} values, got {data.Length}");
        for (int i = 0; i < data.Length; i++)
            if (!double.IsFinite(data[i])) throw new AtlasArgumentException("weight", $"entry {i} is {data[i]}; values must be finite");
        OutChannels = cOut;
        InChannels = cIn;
        KernelHeight = kh;
        KernelWidth = kw;
        Data = data;
    }

    /// <summary>From a rank-4 tensor (C_out, C_in, kh, kw) or a rank-2 linear weight (out, in), treated as a 1×1 convolution.</summary>
    public static ConvKernel FromTensor(Tensor w, string name = "weight")
    {
        var d = Array.ConvertAll(w.Data, x => (double)x);
        return w.Rank switch
        {
            4 => new ConvKernel(w.Shape[0], w.Shape[1], w.Shape[2], w.Shape[3], d),
            2 => new ConvKernel(w.Shape[0], w.Shape[1], 1, 1, d),
            _ => throw new AtlasArgumentException(name, $"expected a convolution weight (C_out, C_in, kh, kw) or a linear weight (out, in), got shape {ShapeMismatchException.Format(w.Shape)}"),
        };
    }

    public double this[int o, int i, int p, int q] => Data[((o * InChannels + i) * KernelHeight + p) * KernelWidth + q];
}
