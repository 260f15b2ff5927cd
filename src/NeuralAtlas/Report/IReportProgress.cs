namespace NeuralAtlas.Report;

/// <summary>Where the report tells what it is doing: one stage at a time, with a fraction within the stage.</summary>
public interface IReportProgress
{
    void StageStarted(int index, int total, string title);
    void StageAdvanced(int index, double fraction, string? detail = null);
    void StageFinished(int index, SectionStatus status, double seconds, string? reason);
}
