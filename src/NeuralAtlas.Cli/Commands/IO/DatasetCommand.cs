using System.CommandLine;
using NeuralAtlas.Data;
using NeuralAtlas.IO;

namespace NeuralAtlas.Cli.Commands.IO;

/// <summary><c>atlas dataset</c>: what a data set holds (splits, image size, class counts), and a contact sheet.</summary>
public sealed class DatasetCommand : ICliCommand
{
    public Command Create()
    {
        var data = new Option<string>("--data") { Description = "The data set: " + Datasets.Help + ".", DefaultValueFactory = _ => "synthetic" };
        var dataDir = new Option<string?>("--data-dir") { Description = "Folder holding fashion-mnist when it is not in " + IdxImageFolder.FashionMnistDefault + "." };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic data set.", DefaultValueFactory = _ => 0 };
        var grid = new Option<string?>("--grid") { Description = "Write a PNG contact sheet of the training split here: one row per class." };
        var perClass = new Option<int>("--per-class") { Description = "Images per class row in the contact sheet.", DefaultValueFactory = _ => 8 };
        var cmd = new Command("dataset", "Describe a data set (splits, image size, images per class) and optionally save a PNG contact sheet of it.");
        foreach (var o in new Option[] { data, dataDir, seed, grid, perClass }) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var d = Datasets.Load(parse.GetValue(data)!, parse.GetValue(dataDir), parse.GetValue(seed));
            o.WriteLine($"# {d.Train.Name}: {d.Train.Count} images; {d.Test.Name}: {d.Test.Count} images; {d.Train.Channels}×{d.Train.Height}×{d.Train.Width}");
            o.WriteLine("class\tname\ttrain\ttest");
            for (int k = 0; k < d.Train.ClassCount; k++)
                o.WriteLine($"{k}\t{d.Train.ClassNames[k]}\t{d.Train.Labels.Count(l => l == k)}\t{d.Test.Labels.Count(l => l == k)}");
            if (parse.GetValue(grid) is string path)
            {
                Png.Write(path, ImageGrid.Build(d.Train, parse.GetValue(perClass)));
                o.WriteLine($"# wrote {path}");
            }
            return 0;
        });
        return cmd;
    }
}
