using System.CommandLine;
using NeuralAtlas.Cli.Commands.Engine;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Report;
using Spectre.Console;

namespace NeuralAtlas.Cli.Commands.Report;

/// <summary><c>atlas report</c>: train (or load) models, run every analysis, write one self-contained HTML file and its JSON.</summary>
public sealed class ReportCommand : ICliCommand
{
    public Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Architecture to train: " + string.Join(", ", ModelZoo.Names) + ".", DefaultValueFactory = _ => "cnn" };
        var weights = new Option<string?>("--weights", "-w") { Description = "Analyse these weights (safetensors) instead of training the first model." };
        var onnx = new Option<string?>("--onnx")
        {
            Description = "Analyse imported ONNX models instead of training: A.onnx or A.onnx,B.onnx (up to 8; the second is the cross-model comparison's). " +
                          "They must take the data's [N, C, H, W] images in [0, 1] and output logits. Sections that need training or zoo-specific code are skipped with the reason. " +
                          "Not with --model, --weights or --seeds.",
        };
        var data = new Option<string>("--data", "-d") { Description = "auto (Fashion-MNIST when installed, else the embedded synthetic set), synthetic, fashion-mnist, or a folder of IDX files.", DefaultValueFactory = _ => "auto" };
        var dataDir = EngineOptions.DataDir();
        var seeds = new Option<int>("--seeds") { Description = "How many models to train from different seeds (2 gives the cross-seed comparisons).", DefaultValueFactory = _ => 2 };
        var quick = new Option<bool>("--quick") { Description = "Smaller everything: about a minute on 2 cores instead of about five." };
        var seed = new Option<int>("--seed", "-s") { Description = "First seed (models use seed, seed+1, ...; also data and analyses).", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out", "-o") { Description = "The HTML file to write (its JSON goes beside it, same name with .json).", DefaultValueFactory = _ => "report.html" };
        var threads = EngineOptions.Threads();
        var cmd = new Command("report", "Train or load models, measure their geometry, topology, symmetry and robustness, and write a self-contained HTML report with figures (plus a JSON of every number drawn).");
        foreach (var o in new Option[] { model, weights, onnx, data, dataDir, seeds, quick, seed, output, threads }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            EngineOptions.SetThreads(parse.GetValue(threads));
            IReadOnlyList<string>? onnxFiles = null;
            if (parse.GetValue(onnx) is string list)
            {
                onnxFiles = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                foreach (var (opt, name) in new (Option, string)[] { (model, "--model"), (weights, "--weights"), (seeds, "--seeds") })
                    if (parse.GetResult(opt) is { Implicit: false })
                        throw new AtlasArgumentException(name, $"an imported model is analysed as given (architecture, weights, one model per file); drop {name} with --onnx");
                foreach (string f in onnxFiles)
                    if (!File.Exists(f)) throw new AtlasArgumentException("--onnx", $"{f}: no such file");
            }
            var options = new ReportOptions
            {
                Onnx = onnxFiles,
                Model = parse.GetValue(model)!, Weights = parse.GetValue(weights), Data = parse.GetValue(data)!, DataDir = parse.GetValue(dataDir),
                Seeds = parse.GetValue(seeds), Quick = parse.GetValue(quick), Seed = parse.GetValue(seed),
            };
            if (!ModelZoo.Names.Contains(options.Model)) throw new AtlasArgumentException("--model", $"unknown model '{options.Model}'; expected one of {string.Join(", ", ModelZoo.Names)}");
            string outPath = Path.GetFullPath(parse.GetValue(output)!);
            var o = parse.InvocationConfiguration.Output;
            AtlasReport report;
            bool interactive = ReferenceEquals(o, Console.Out) && AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;
            if (interactive)
            {
                report = null!;
                AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                    .Start(pc => report = ReportPipeline.Run(options, new SpectreProgress(pc)));
            }
            else report = ReportPipeline.Run(options, new LineProgress(o));
            report.Save(outPath);
            int failed = report.Sections.Count(s => s.Status == SectionStatus.Failed);
            o.WriteLine($"report written to {outPath} ({report.Sections.Count} sections, {failed} failed); numbers in {Path.ChangeExtension(outPath, ".json")}");
            foreach (var s in report.Sections.Where(s => s.Status == SectionStatus.Failed)) o.WriteLine($"  failed: {s.Title}: {s.Reason}");
            // Without data and models nothing else could run: that is the one failure the exit code reports.
            return report.Sections[0].Status == SectionStatus.Failed ? 1 : 0;
        });
        return cmd;
    }

    private sealed class SpectreProgress(ProgressContext pc) : IReportProgress
    {
        private readonly Dictionary<int, ProgressTask> _tasks = new();

        public void StageStarted(int index, int total, string title) => _tasks[index] = pc.AddTask($"[[{index + 1}/{total}]] {Markup.Escape(title)}", maxValue: 1);

        public void StageAdvanced(int index, double fraction, string? detail) => _tasks[index].Value = fraction;

        public void StageFinished(int index, SectionStatus status, double seconds, string? reason)
        {
            var t = _tasks[index];
            t.Value = 1;
            if (status == SectionStatus.Failed) t.Description += " [red](failed)[/]";
            t.StopTask();
        }
    }

    private sealed class LineProgress(TextWriter o) : IReportProgress
    {
        private string _title = "";

        public void StageStarted(int index, int total, string title)
        {
            _title = $"[{index + 1}/{total}] {title}";
            o.WriteLine($"{_title} ...");
        }

        public void StageAdvanced(int index, double fraction, string? detail) { }

        public void StageFinished(int index, SectionStatus status, double seconds, string? reason) =>
            o.WriteLine($"{_title}: {status.ToString().ToLowerInvariant()} in {seconds:F1} s{(reason is null ? "" : " — " + reason)}");
    }
}
