namespace NeuralAtlas.Report.Sections;

/// <summary>
/// Analyses that read or cut a model at named layers run on imported ONNX graphs only where their library code
/// addresses layers through <see cref="Nn.LayerTaps"/> (node names); one that still looks layers up as zoo
/// submodules rejects a node name with an <see cref="AtlasArgumentException"/>, and its section is then skipped with
/// that reason instead of failing the report. Zoo models run unguarded: an error there is a real failure.
/// </summary>
internal static class ImportedGraphs
{
    public static void Guard(ReportModel model, ReportSection s, string analysis, Action body)
    {
        if (model.Graph is null)
        {
            body();
            return;
        }
        try { body(); }
        catch (AtlasArgumentException e)
        {
            s.Figures.Clear();
            s.Tables.Clear();
            s.Values.Clear();
            s.Skip($"{analysis} cannot run on the imported graph {model.Label}: {e.Message}");
        }
    }
}
