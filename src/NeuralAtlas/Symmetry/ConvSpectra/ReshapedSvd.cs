using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Symmetry.ConvSpectra;

/// <summary>
/// The SVD DeepDataProfiler takes of a convolution weight: reshaped to C_out × (C_in·kh·kw), so the left singular
/// vectors are directions in the layer's output channel space (Praggastis et al., 2208.06894).
/// </summary>
public static class ReshapedSvd
{
    public static DMatrix Matrix(ConvKernel k) =>
        new(k.OutChannels, k.InChannels * k.KernelHeight * k.KernelWidth, k.Data);

    public static Svd Compute(ConvKernel k) => Decompositions.ThinSvd(Matrix(k));
}
