namespace NeuralAtlas.Report.Plotting;

/// <summary>
/// Entry points of the plotting module: <c>Plot.Line(x, y).Save("x.svg")</c>. Each returns a figure that can take
/// more series, a title and axis labels before <see cref="Figure.Save"/> or <see cref="Figure.ToSvg"/>.
/// </summary>
public static class Plot
{
    public static XYChart Line(IReadOnlyList<double> x, IReadOnlyList<double> y, string label = "") => new XYChart().Line(x, y, label);

    public static XYChart Scatter(IReadOnlyList<double> x, IReadOnlyList<double> y, string label = "") => new XYChart().Scatter(x, y, label);

    public static Heatmap Heatmap(double[,] values, string[]? rowLabels = null, string[]? colLabels = null) => new(values, rowLabels, colLabels);

    public static BarChart Bar(IEnumerable<string> categories, IReadOnlyList<double> values, string label = "") => new BarChart(categories).Series(label, values);

    public static PersistenceDiagramChart Diagram() => new();

    public static BarcodeChart Barcode() => new();

    public static GraphChart Graph(int nodeCount, IEnumerable<(int A, int B)> edges) => new(nodeCount, edges);
}
