using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Symmetry.ConvSpectra;

/// <summary>Where a convolution sees its input: the spatial size n (square) and the stride.</summary>
public readonly record struct ConvGeometry(int InputSize, int Stride);

/// <summary>Options of <see cref="ModelSpectra.Analyse"/>.</summary>
public sealed record SpectraOptions
{
    /// <summary>Input size for every convolution without an entry in <see cref="Geometry"/> (stride 1); 0 skips operator spectra.</summary>
    public int InputSize { get; init; } = 32;
    /// <summary>Per-layer input size and stride, by weight name.</summary>
    public IReadOnlyDictionary<string, ConvGeometry> Geometry { get; init; } = new Dictionary<string, ConvGeometry>();
    public int Bins { get; init; } = 50;
    public int MinTail { get; init; } = 10;
    public int TopOperatorValues { get; init; } = 16;
    public bool AllOperatorValues { get; init; }
}

/// <summary>Spectral analysis of every 4-D convolution weight and 2-D linear weight of a state dict.</summary>
public static class ModelSpectra
{
    public static ModelSpectrum Analyse(IEnumerable<KeyValuePair<string, Tensor>> weights, SpectraOptions? options = null)
    {
        options ??= new SpectraOptions();
        var layers = new List<LayerSpectrum>();
        foreach (var (name, w) in weights)
        {
            if (w.Rank != 4 && w.Rank != 2) continue; // biases, BatchNorm statistics, embeddings of other ranks
            if (w.Numel == 0) continue;
            layers.Add(AnalyseLayer(name, w, options));
        }
        var fitted = layers.Where(l => l.PowerLaw is not null).ToList();
        double? avgAlpha = fitted.Count == 0 ? null : fitted.Average(l => l.PowerLaw!.Alpha);
        var weighted = layers.Where(l => l.AlphaWeighted is not null).ToList();
        double? avgW = weighted.Count == 0 ? null : weighted.Average(l => l.AlphaWeighted!.Value);
        return new ModelSpectrum(layers, avgAlpha, avgW);
    }

    public static LayerSpectrum AnalyseLayer(string name, Tensor w, SpectraOptions options)
    {
        var k = ConvKernel.FromTensor(w, name);
        var m = ReshapedSvd.Matrix(k);
        var sv = Decompositions.SingularValues(m);
        var lambda = sv.Select(s => s * s).ToArray();
        var mp = MarchenkoPasturFit.Fit(sv, m.Rows, m.Cols);
        PowerLaw? pl = null;
        string? note = null;
        int positive = lambda.Count(x => x > 0);
        if (positive < options.MinTail) note = $"only {positive} nonzero eigenvalues; a power-law fit needs at least {options.MinTail}";
        else
        {
            try { pl = PowerLawFit.Fit(lambda, options.MinTail); }
            catch (AtlasArgumentException e) { note = e.Message; }
        }
        double lmax = lambda.Length == 0 ? 0 : lambda.Max();
        double? weighted = pl is not null && lmax > 0 ? pl.Alpha * Math.Log10(lmax) : null;
        var density = positive > 0 ? SpectralDensity.Estimate(lambda, options.Bins) : new SpectralDensity(new double[] { 0, 1 }, new double[] { 0 }, false);
        OperatorSpectrum? op = null;
        if (w.Rank == 4)
        {
            var g = options.Geometry.TryGetValue(name, out var gg) ? gg : new ConvGeometry(options.InputSize, 1);
            if (g.InputSize > 0) op = Operator(k, g, options);
        }
        return new LayerSpectrum(name, w.Rank == 4 ? "conv" : "linear", (int[])w.Shape.Clone(), m.Rows, m.Cols, sv, density, pl, note, mp, lmax, weighted, op);
    }

    public static OperatorSpectrum Operator(ConvKernel k, ConvGeometry g, SpectraOptions options)
    {
        var s = ConvOperatorSpectrum.SingularValues(k, g.InputSize, g.Stride);
        double max = s.Length == 0 ? 0 : s[0];
        double fro2 = s.Sum(x => x * x);
        return new OperatorSpectrum(g.InputSize, g.Stride, s.Length, max, s.Length == 0 ? 0 : s[^1],
            max > 0 ? fro2 / (max * max) : 0, s.Take(options.TopOperatorValues).ToArray(), options.AllOperatorValues ? s : null);
    }
}
