namespace NeuralAtlas.Topology;

/// <summary>
/// A representative cocycle of one interval: simplices (vertex lists, ascending) with coefficients in Z/p. It is
/// the reduced column of the coboundary matrix: it contains the birth simplex with coefficient 1, and its
/// coboundary within the threshold is zero (essential class) or has smallest diameter equal to the death.
/// </summary>
public sealed record RepresentativeCocycle(int Dimension, PersistenceInterval Interval, IReadOnlyList<(int[] Vertices, int Coefficient)> Simplices);
