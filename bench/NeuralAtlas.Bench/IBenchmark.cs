namespace NeuralAtlas.Bench;

/// <summary>
/// One named benchmark (found by reflection, one file each). It prints its figures, including the peer's
/// (PyTorch, numpy, Ripser, ...) measured side by side where one exists, and the ratio.
/// </summary>
public interface IBenchmark
{
    string Name { get; }
    string Description { get; }
    int Run(string[] args);
}
