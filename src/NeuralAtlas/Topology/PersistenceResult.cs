namespace NeuralAtlas.Topology;

/// <summary>Barcodes of a Vietoris–Rips filtration, one diagram per dimension 0..MaxDimension.</summary>
public sealed class PersistenceResult
{
    public IReadOnlyList<PersistenceDiagram> Diagrams { get; }
    /// <summary>The threshold used (the enclosing radius when none was given for dense input).</summary>
    public double Threshold { get; }
    public int PointCount { get; }
    public int Modulus { get; }
    /// <summary>Representative cocycles in dimensions ≥ 1, when requested; empty otherwise.</summary>
    public IReadOnlyList<RepresentativeCocycle> Cocycles { get; }

    public PersistenceResult(IReadOnlyList<PersistenceDiagram> diagrams, double threshold, int pointCount, int modulus, IReadOnlyList<RepresentativeCocycle> cocycles)
    {
        Diagrams = diagrams;
        Threshold = threshold;
        PointCount = pointCount;
        Modulus = modulus;
        Cocycles = cocycles;
    }

    public PersistenceDiagram this[int dim] => Diagrams[dim];
    public int MaxDimension => Diagrams.Count - 1;
}
