using System.Diagnostics;
using NeuralAtlas.Data;
using NeuralAtlas.Report.Sections;

namespace NeuralAtlas.Report;

/// <summary>
/// Runs the report: data and models first (if that fails there is nothing to report), then every analysis section,
/// each isolated so that a failure is shown in its section while the rest completes.
/// </summary>
public static class ReportPipeline
{
    /// <summary>A section: id, title, docs page and the body that fills it (reporting its progress as a fraction).</summary>
    public sealed record Stage(string Id, string Title, string DocPage, Action<ReportContext, ReportSection, Action<double>> Body);

    public static IReadOnlyList<Stage> Stages { get; } = new Stage[]
    {
        new("dimension", "Intrinsic dimension per layer", "intrinsic-dimension.md", DimensionSection.Build),
        new("similarity", "Representation similarity (CKA) within and across seeds", "similarity.md", SimilaritySection.Build),
        new("stitching", "Model stitching across seeds", "similarity.md", StitchingSection.Build),
        new("topology", "Persistent homology of layers", "topology-layer-topology.md", TopologySection.Build),
        new("mapper", "Mapper graph of the penultimate layer", "topology-mapper.md", MapperSection.Build),
        new("spectra", "Singular values of the weights", "conv-spectra.md", SpectraSection.Build),
        new("corruptions", "Accuracy under common corruptions", "corruptions.md", CorruptionSection.Build),
        new("attacks", "Adversarial attacks and the subspace-dimension law", "attacks.md", AttackSection.Build),
        new("intertwiner", "Intertwiner check: function difference vs representation change", "intertwiners.md", IntertwinerSection.Build),
        new("frames", "Neural frames: how input directions travel through the layers", "neural-frames.md", FramesSection.Build),
        new("invariance", "Invariance per layer", "invariance.md", InvarianceSection.Build),
        new("frequency", "Frequency sensitivity and the data's power spectrum", "frequency-sensitivity.md", FrequencySection.Build),
        new("mathdata", "Mathematical data sets: Haldane bundles and quiver mutation classes", "haldane-bundles.md", MathDataSection.Build),
    };

    /// <param name="inspect">Called with the trained models and activations before the analyses (tests recompute numbers from it).</param>
    public static AtlasReport Run(ReportOptions options, IReportProgress? progress = null, Action<ReportContext>? inspect = null)
    {
        options.Validate();
        var report = new AtlasReport { Title = "NeuralAtlas report" };
        int total = Stages.Count + 1;
        ReportContext? ctx = null;
        var setup = report.Add(new ReportSection("training", "Data and training", "training.md"));
        RunStage(0, total, setup, progress, (s, advance) => ctx = TrainingSection.Build(options, report, s, advance));
        if (ctx is null) return report; // nothing else can run; the caller sees the failed section
        inspect?.Invoke(ctx);
        for (int i = 0; i < Stages.Count; i++)
        {
            var st = Stages[i];
            var section = report.Add(new ReportSection(st.Id, st.Title, st.DocPage));
            RunStage(i + 1, total, section, progress, (s, advance) => st.Body(ctx, s, advance));
        }
        return report;
    }

    private static void RunStage(int index, int total, ReportSection section, IReportProgress? progress, Action<ReportSection, Action<double>> body)
    {
        progress?.StageStarted(index, total, section.Title);
        var sw = Stopwatch.StartNew();
        try
        {
            body(section, f => progress?.StageAdvanced(index, Math.Clamp(f, 0, 1)));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A failed analysis must not take the report down: show why in its section and go on.
            section.Fail(e is AtlasException ? e.Message : $"{e.GetType().Name}: {e.Message}");
        }
        section.Seconds = sw.Elapsed.TotalSeconds;
        progress?.StageFinished(index, section.Status, section.Seconds, section.Reason);
    }

    /// <summary>"auto" picks Fashion-MNIST when its files are installed, else the embedded synthetic set.</summary>
    public static DatasetSplits LoadData(ReportOptions o)
    {
        string spec = o.Data;
        if (spec == "auto")
            spec = o.DataDir is not null || File.Exists(Path.Combine(IdxImageFolder.FashionMnistDefault, "t10k-labels-idx1-ubyte.gz")) ||
                   File.Exists(Path.Combine(IdxImageFolder.FashionMnistDefault, "t10k-labels-idx1-ubyte"))
                ? "fashion-mnist" : "synthetic";
        return Datasets.Load(spec, o.DataDir, o.Seed);
    }
}
