namespace NeuralAtlas.Robustness.Attacks;

/// <summary>A coordinate subspace: the coordinates where the mask is true.</summary>
public sealed class MaskSubspace : Subspace
{
    private readonly bool[] _mask;
    public override int Dim { get; }
    public override string Description { get; }
    public override bool IsCoordinate => true;
    public ReadOnlySpan<bool> Mask => _mask;

    public MaskSubspace(bool[] mask, string description) : base(mask.Length)
    {
        _mask = mask;
        Dim = mask.Count(m => m);
        if (Dim == 0) throw new AtlasArgumentException("subspace", "the mask selects no coordinate: the subspace is empty");
        Description = description;
    }

    public override void Project(Span<float> v)
    {
        if (v.Length != AmbientDim) throw new ShapeMismatchException("subspace projection", new[] { v.Length }, new[] { AmbientDim });
        for (int i = 0; i < v.Length; i++) if (!_mask[i]) v[i] = 0;
    }
}
