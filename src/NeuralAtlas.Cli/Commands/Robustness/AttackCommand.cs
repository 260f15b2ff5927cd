using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using NeuralAtlas.Robustness.Attacks;

namespace NeuralAtlas.Cli.Commands.Robustness;

/// <summary><c>atlas attack</c>: FGSM/PGD in ℓ∞, ℓ2 or ℓ1, optionally confined to a subspace; prints the success rate.</summary>
public sealed class AttackCommand : ICliCommand
{
    public Command Create()
    {
        var m = new TrainedModelOptions(defaultCount: 1000);
        var norm = new Option<string>("--norm") { Description = "Norm of the perturbation budget: inf, 2 or 1.", DefaultValueFactory = _ => "inf" };
        var eps = new Option<double>("--eps") { Description = "Budget ε in that norm, for inputs in [0, 1].", DefaultValueFactory = _ => 0.1 };
        var steps = new Option<int>("--steps") { Description = "PGD steps (1 with --fgsm).", DefaultValueFactory = _ => 10 };
        var stepSize = new Option<double?>("--step-size") { Description = "Step size α (default 2.5·ε/steps)." };
        var restarts = new Option<int>("--restarts") { Description = "Random restarts; an example counts as broken if any restart succeeds.", DefaultValueFactory = _ => 1 };
        var noRandomStart = new Option<bool>("--no-random-start") { Description = "Start at the clean input instead of a random point of the ball." };
        var fgsm = new Option<bool>("--fgsm") { Description = "One step of size ε from the clean input (FGSM; the fast gradient method for ℓ2/ℓ1)." };
        var target = new Option<int?>("--target") { Description = "Targeted attack towards this class (default: untargeted)." };
        var subspace = new Option<string>("--subspace") { Description = "Where the perturbation may live: full, patch:K, random-pixels:FRACTION, channels:LIST, dct:K (lowest K×K DCT frequencies) or random:K (random K-dimensional subspace).", DefaultValueFactory = _ => "full" };
        var l1 = new Option<double>("--l1-sparsity") { Description = "ℓ1 only: fraction of V's coordinates moved per step.", DefaultValueFactory = _ => 0.01 };
        var seed = new Option<int>("--seed") { Description = "Seed of random starts and of random subspaces.", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "Write per-example results and settings as JSON." };
        var cmd = new Command("attack", "Adversarial attack (FGSM or PGD with random starts and restarts) in ℓ∞, ℓ2 or ℓ1, confined to a subspace of the input if asked; prints the success rate and robust accuracy.");
        m.AddTo(cmd);
        foreach (var o in new Option[] { norm, eps, steps, stepSize, restarts, noRandomStart, fgsm, target, subspace, l1, seed, output }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var p = LpNorms.Parse(parse.GetValue(norm)!);
            double e = parse.GetValue(eps);
            var options = parse.GetValue(fgsm)
                ? PgdOptions.Fgsm(p, e) with { Seed = parse.GetValue(seed) }
                : new PgdOptions
                {
                    Norm = p, Epsilon = e, Steps = parse.GetValue(steps), StepSize = parse.GetValue(stepSize), Restarts = parse.GetValue(restarts),
                    RandomStart = !parse.GetValue(noRandomStart), L1Sparsity = parse.GetValue(l1), Seed = parse.GetValue(seed),
                };
            int? t = parse.GetValue(target);
            options = options with { Targeted = t is not null };
            options.Validate();
            var (model, images, labels, test) = m.Load(parse);
            if (t is int tc && (tc < 0 || tc >= test.ClassCount)) throw new AtlasArgumentException("--target", $"class {tc} is not in 0..{test.ClassCount - 1}");
            var v = Subspace.Parse(parse.GetValue(subspace)!, images.Shape[1], images.Shape[2], images.Shape[3], parse.GetValue(seed));
            var targets = t is int tt ? Enumerable.Repeat(tt, labels.Length).ToArray() : null;
            var res = Pgd.Attack(model, images, labels, v, options, targets);
            var o = parse.InvocationConfiguration.Output;
            double clean = res.CleanCorrect.Count(c => c) / (double)labels.Length;
            o.WriteLine($"success_rate\t{res.SuccessRate.ToString("F4", CultureInfo.InvariantCulture)}");
            o.WriteLine($"clean_accuracy\t{clean.ToString("F4", CultureInfo.InvariantCulture)}");
            o.WriteLine($"robust_accuracy\t{res.RobustAccuracy(labels).ToString("F4", CultureInfo.InvariantCulture)}");
            o.WriteLine($"subspace\t{v.Description} (dim {v.Dim} of {v.AmbientDim})");
            if (parse.GetValue(output) is string path)
            {
                var json = new JsonObject
                {
                    ["norm"] = p.Name(), ["eps"] = e, ["steps"] = options.Steps, ["step_size"] = options.Alpha, ["restarts"] = options.Restarts,
                    ["random_start"] = options.RandomStart, ["targeted"] = options.Targeted, ["subspace"] = v.Description, ["dim_v"] = v.Dim, ["dim_x"] = v.AmbientDim,
                    ["count"] = labels.Length, ["success_rate"] = res.SuccessRate, ["clean_accuracy"] = clean, ["robust_accuracy"] = res.RobustAccuracy(labels),
                    ["success"] = new JsonArray(res.Success.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray()),
                    ["prediction"] = new JsonArray(res.Predictions.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray()),
                    ["perturbation_norm"] = new JsonArray(res.PerturbationNorms.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray()),
                };
                TrainedModelOptions.WriteJson(path, json);
            }
            return 0;
        });
        return cmd;
    }
}
