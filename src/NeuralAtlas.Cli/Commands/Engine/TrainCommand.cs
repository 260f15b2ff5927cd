using System.CommandLine;
using NeuralAtlas.Data;
using NeuralAtlas.Nn.Training;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Tensors;
using Spectre.Console;

namespace NeuralAtlas.Cli.Commands.Engine;

/// <summary><c>atlas train</c>: trains a zoo model on a data set, prints test accuracy, optionally saves the weights.</summary>
public sealed class TrainCommand : ICliCommand
{
    public Command Create()
    {
        var model = EngineOptions.Model(required: true);
        var data = EngineOptions.Data();
        var dataDir = EngineOptions.DataDir();
        var epochs = new Option<int>("--epochs", "-e") { Description = "Passes over the training set.", DefaultValueFactory = _ => 3 };
        var batch = new Option<int>("--batch-size", "-b") { Description = "Images per optimizer step.", DefaultValueFactory = _ => 64 };
        var lr = new Option<double>("--lr") { Description = "Learning rate (peak rate for --schedule onecycle).", DefaultValueFactory = _ => 1e-3 };
        var optimizer = new Option<string>("--optimizer") { Description = "adam, adamw (decoupled weight decay) or sgd (momentum 0.9).", DefaultValueFactory = _ => "adam" };
        var wd = new Option<double>("--weight-decay") { Description = "Weight decay (L2 for adam and sgd, decoupled for adamw).", DefaultValueFactory = _ => 0 };
        var schedule = new Option<string>("--schedule") { Description = "Learning-rate schedule: none, step (x0.1 every third of the epochs), cosine (per step) or onecycle (per step).", DefaultValueFactory = _ => "none" };
        var clip = new Option<double?>("--clip-grad-norm") { Description = "Clip the global gradient norm to this value before each step." };
        var smoothing = new Option<float>("--label-smoothing") { Description = "Cross-entropy label smoothing in [0, 1].", DefaultValueFactory = _ => 0f };
        var augment = new Option<string?>("--augment") { Description = "Training augmentations: " + Augmentations.Help + "." };
        var adversarial = new Option<string>("--adversarial") { Description = "Adversarial training: none, or pgd (each batch replaced by PGD adversarial examples, Madry et al.).", DefaultValueFactory = _ => "none" };
        var advEps = new Option<double>("--eps") { Description = "With --adversarial pgd: the perturbation budget ε (inputs in [0, 1]).", DefaultValueFactory = _ => 0.1 };
        var advNorm = new Option<string>("--adv-norm") { Description = "With --adversarial pgd: inf, 2 or 1.", DefaultValueFactory = _ => "inf" };
        var advSteps = new Option<int>("--adv-steps") { Description = "With --adversarial pgd: PGD steps per batch (step size 2.5·ε/steps).", DefaultValueFactory = _ => 7 };
        var seed = new Option<int>("--seed", "-s") { Description = "Seed of initialisation, shuffling, augmentation and the synthetic data.", DefaultValueFactory = _ => 0 };
        var outPath = new Option<string?>("--out", "-o") { Description = "Write the trained weights here (safetensors state dict with PyTorch names; atomically)." };
        var threads = EngineOptions.Threads();

        var cmd = new Command("train",
            "Train a model from the zoo with cross-entropy and print its test accuracy. With no options: the reference CNN " +
            "for 3 epochs on the embedded synthetic image set (no files needed, well under a minute).");
        foreach (var o in new Option[] { model, data, dataDir, epochs, batch, lr, optimizer, wd, schedule, clip, smoothing, augment, adversarial, advEps, advNorm, advSteps, seed, outPath, threads })
            cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            EngineOptions.SetThreads(parse.GetValue(threads));
            int s = parse.GetValue(seed);
            var options = new TrainOptions
            {
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batch),
                LearningRate = parse.GetValue(lr),
                Optimizer = parse.GetValue(optimizer)!,
                WeightDecay = parse.GetValue(wd),
                Schedule = parse.GetValue(schedule)!,
                ClipGradNorm = parse.GetValue(clip),
                LabelSmoothing = parse.GetValue(smoothing),
                Seed = s,
                BatchTransform = parse.GetValue(adversarial) switch
                {
                    "none" => null,
                    "pgd" => NeuralAtlas.Robustness.Attacks.AdversarialTraining.BatchTransform(new NeuralAtlas.Robustness.Attacks.PgdOptions
                    {
                        Norm = NeuralAtlas.Robustness.Attacks.LpNorms.Parse(parse.GetValue(advNorm)!), Epsilon = parse.GetValue(advEps), Steps = parse.GetValue(advSteps), Seed = s,
                    }),
                    var other => throw new AtlasArgumentException("--adversarial", $"expected none or pgd, got '{other}'"),
                },
            };
            options.Validate();
            var aug = Augmentations.Parse(parse.GetValue(augment));
            string? outFile = parse.GetValue(outPath);
            var splits = Datasets.Load(parse.GetValue(data)!, parse.GetValue(dataDir), s);
            var spec = EngineOptions.SpecFor(parse.GetValue(model)!, splits.Train);
            var net = spec.Create(new Rng(s));
            output.WriteLine($"training {spec.Name} ({net.ParameterCount():N0} parameters) on {splits.Train.Name}: {splits.Train.Count} images, {options.Epochs} epochs, batch {options.BatchSize}, {options.Optimizer} lr {options.LearningRate}" +
                             (options.BatchTransform is null ? "" : $", PGD adversarial training (ε = {parse.GetValue(advEps)}, ℓ{parse.GetValue(advNorm)}, {parse.GetValue(advSteps)} steps)"));

            TrainResult result;
            bool live = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
            if (live)
            {
                result = null!;
                AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask("epoch 1", maxValue: options.Epochs * (double)((splits.Train.Count + options.BatchSize - 1) / options.BatchSize));
                        result = Trainer.Train(net, splits.Train, options, p =>
                        {
                            if (p.EpochEnd) return;
                            task.Increment(1);
                            task.Description = $"epoch {p.Epoch + 1}/{p.Epochs}  loss {p.Loss:F4}  acc {p.Accuracy:F3}  {p.SamplesPerSecond:F0} img/s";
                        }, aug);
                    });
                foreach (var p in result.Epochs) output.WriteLine(EpochLine(p));
            }
            else result = Trainer.Train(net, splits.Train, options, p => { if (p.EpochEnd) output.WriteLine(EpochLine(p)); }, aug);

            double acc = Trainer.Evaluate(net, splits.Test);
            output.WriteLine($"test accuracy {acc:F4} on {splits.Test.Count} images ({result.Seconds:F1} s training)");
            if (outFile is not null)
            {
                ModelFile.Save(outFile, net, spec);
                output.WriteLine($"weights written to {outFile}");
            }
            return 0;
        });
        return cmd;
    }

    private static string EpochLine(TrainProgress p) =>
        $"epoch {p.Epoch + 1}/{p.Epochs}\tloss {p.Loss:F4}\ttrain accuracy {p.Accuracy:F4}\t{p.SamplesPerSecond:F0} images/s";
}
