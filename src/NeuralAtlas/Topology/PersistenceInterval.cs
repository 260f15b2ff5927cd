namespace NeuralAtlas.Topology;

/// <summary>
/// One bar of a barcode: a class born at <see cref="Birth"/> that dies at <see cref="Death"/>
/// (<see cref="double.PositiveInfinity"/> for an essential class that never dies within the threshold).
/// </summary>
public readonly record struct PersistenceInterval(double Birth, double Death)
{
    public bool IsEssential => double.IsPositiveInfinity(Death);
    public double Persistence => Death - Birth;
    public override string ToString() => IsEssential ? $"[{Birth}, )" : $"[{Birth},{Death})";
}
