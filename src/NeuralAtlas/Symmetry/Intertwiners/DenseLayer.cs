using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Symmetry.Intertwiners;

/// <summary>One affine layer x ↦ Wx + b of an MLP (W is out × in; b may be absent).</summary>
public sealed record DenseLayer(string Name, DMatrix Weight, double[]? Bias)
{
    public int In => Weight.Cols;
    public int Out => Weight.Rows;
}
