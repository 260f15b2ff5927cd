using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Tensors;

/// <summary>torch.fft equivalents against PyTorch 1.13 (every norm, power-of-two, composite and prime lengths).</summary>
public class FftTests
{
    private static readonly TensorFixture F = TensorFixture.Load("fft");

    private static readonly Dictionary<string, FftNorm> Norms = new() { ["backward"] = FftNorm.Backward, ["ortho"] = FftNorm.Ortho, ["forward"] = FftNorm.Forward };

    public static IEnumerable<object[]> Lengths() =>
        from n in new[] { 1, 2, 7, 8, 12, 17, 30, 64, 97 } from norm in new[] { "backward", "ortho", "forward" } select new object[] { n, norm };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void OneDimensionalTransformsMatchTorch(int n, string norm)
    {
        var nm = Norms[norm];
        string c = $"fft_{n}_{norm}";
        TensorAssert.Close(F[c, "out"], Ops.Fft(F[c, "in0"], norm: nm), 1e-5, 2e-5, c);
        c = $"ifft_{n}_{norm}";
        TensorAssert.Close(F[c, "out"], Ops.Ifft(F[c, "in0"], norm: nm), 1e-5, 2e-5, c);
        c = $"rfft_{n}_{norm}";
        TensorAssert.Close(F[c, "out"], Ops.Rfft(F[c, "in0"], norm: nm), 1e-5, 2e-5, c);
        if (n > 1)
        {
            c = $"irfft_{n}_{norm}";
            TensorAssert.Close(F[c, "out"], Ops.Irfft(F[c, "in0"], n, norm: nm), 1e-5, 2e-5, c);
        }
    }

    [Fact]
    public void PaddingTrimmingAndMultiDimensional()
    {
        TensorAssert.Close(F["fft_dim1_pad", "out"], Ops.Fft(F["fft_dim1_pad", "in0"], 12, 1), 1e-5, 2e-5, "pad");
        TensorAssert.Close(F["fft_dim1_trim", "out"], Ops.Fft(F["fft_dim1_trim", "in0"], 5, 1), 1e-5, 2e-5, "trim");
        TensorAssert.Close(F["irfft_default_n", "out"], Ops.Irfft(F["irfft_default_n", "in0"]), 1e-5, 2e-5, "irfft default n");
        foreach (var (name, nm) in new[] { ("backward", FftNorm.Backward), ("ortho", FftNorm.Ortho) })
        {
            TensorAssert.Close(F[$"fft2_{name}", "out"], Ops.Fft2(F[$"fft2_{name}", "in0"], norm: nm), 1e-5, 5e-5, "fft2 " + name);
            TensorAssert.Close(F[$"ifft2_{name}", "out"], Ops.Ifft2(F[$"ifft2_{name}", "in0"], norm: nm), 1e-5, 5e-5, "ifft2 " + name);
            TensorAssert.Close(F[$"rfft2_{name}", "out"], Ops.Rfft2(F[$"rfft2_{name}", "in0"], norm: nm), 1e-5, 5e-5, "rfft2 " + name);
            TensorAssert.Close(F[$"irfft2_{name}", "out"], Ops.Irfft2(F[$"irfft2_{name}", "in0"], new[] { 5, 7 }, nm), 1e-5, 5e-5, "irfft2 " + name);
        }
        TensorAssert.Close(F["fft2_s", "out"], Ops.Fft2(F["fft2_s", "in0"], new[] { 8, 7 }), 1e-5, 5e-5, "fft2 s");
        TensorAssert.Close(F["fftshift", "out"], Ops.FftShift(F["fftshift", "in0"]), 0, 0, "fftshift");
        TensorAssert.Close(F["ifftshift", "out"], Ops.IfftShift(F["ifftshift", "in0"]), 0, 0, "ifftshift");
        TensorAssert.Close(F["fftshift_dim1", "out"], Ops.FftShift(F["fftshift_dim1", "in0"], new[] { 1 }), 0, 0, "fftshift dim 1");
    }

    [Fact]
    public void LargePrimeRoundTripsAndSatisfiesParseval()
    {
        var rng = new Rng(11);
        var z = Ops.ToComplex(Tensor.Randn(rng, 1009), Tensor.Randn(rng, 1009));
        var back = Ops.Ifft(Ops.Fft(z));
        TensorAssert.Close(z, back, 1e-5, 1e-5, "round trip");
        var spec = Ops.Fft(z, norm: FftNorm.Ortho);
        double e0 = z.Data.Sum(v => (double)v * v), e1 = spec.Data.Sum(v => (double)v * v);
        Assert.Equal(e0, e1, e0 * 1e-5);
    }

    [Fact]
    public void NonComplexInputIsRejected()
    {
        Assert.Throws<ShapeMismatchException>(() => Ops.Fft(new Tensor(4, 3)));
    }
}
