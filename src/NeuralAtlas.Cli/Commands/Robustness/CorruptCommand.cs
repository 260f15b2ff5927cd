using System.CommandLine;
using NeuralAtlas.IO;
using NeuralAtlas.Robustness;
using NeuralAtlas.Robustness.Corruptions;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Cli.Commands.Robustness;

/// <summary><c>atlas corrupt</c>: apply common corruptions to images and save the corrupted sets.</summary>
public sealed class CorruptCommand : ICliCommand
{
    public Command Create()
    {
        var input = new Option<string>("--input") { Description = "Images: a PNG, a folder of PNGs (same size), or an .npy/.npz of C×H×W or N×C×H×W (float in [0,1] or uint8 0–255).", Required = true };
        var corruption = new Option<string>("--corruption") { Description = $"'all' (the 15 common ones) or a comma list of: {string.Join(", ", CorruptionCatalog.Names)}.", DefaultValueFactory = _ => "all" };
        var severity = new Option<string>("--severity") { Description = "Severities: 3, 1..5 or 1,3,5.", DefaultValueFactory = _ => "1..5" };
        var output = new Option<string>("--out") { Description = "Output: a file ending in .npz (keys CORRUPTION/sK), or a folder: PNG input gives CORRUPTION/sK/NAME.png (1–4 bands), array input one .npy per corruption and severity.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the random parts (noise, angles, textures); same seed, same output.", DefaultValueFactory = _ => 0 };
        var channels = new Option<string?>("--channels") { Description = "Corrupt only these bands, e.g. 3 or 0,1,2 (default: all)." };
        var wavelengths = new Option<string?>("--wavelengths") { Description = "Band centre wavelengths in nm for multispectral fog/snow, e.g. 650,550,450,850 (defaults: RGB, RGB+NIR)." };
        var cmd = new Command("corrupt", "Apply common corruptions (ImageNet-C / Kodak-C style, plus physically based multispectral fog and snow) at chosen severities and save the corrupted images.")
        {
            input, corruption, severity, output, seed, channels, wavelengths,
        };
        cmd.SetAction(parse =>
        {
            string inPath = parse.GetValue(input)!;
            var (images, single, names) = ReadImages(inPath);
            var wl = ParseList(parse.GetValue(wavelengths), "--wavelengths", double.Parse);
            var chans = ParseList(parse.GetValue(channels), "--channels", int.Parse)?.ToArray();
            var list = CorruptionCatalog.Parse(parse.GetValue(corruption)!, wl);
            var sev = SeverityList.Parse(parse.GetValue(severity)!);
            string outPath = parse.GetValue(output)!;
            int s0 = parse.GetValue(seed);
            var results = new List<KeyValuePair<string, Tensor>>();
            var o = parse.InvocationConfiguration.Output;
            foreach (var c in list)
                foreach (int s in sev)
                {
                    var batch = CorruptionEvaluation.CorruptAll(images, c, s, s0, chans);
                    var result = single ? batch.Reshape(images.Shape[1..]) : batch;
                    results.Add(new($"{c.Name}/s{s}", result));
                    o.WriteLine($"{c.Name}\t{s}\tdone");
                }
            if (outPath.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
                Npz.Write(outPath, results, compress: true);
            else if (names is not null)
            {
                // PNG in, PNG out: one folder per corruption and severity, the input's file names inside.
                foreach (var (key, t) in results)
                {
                    string dir = Path.Combine(outPath, key.Replace('/', Path.DirectorySeparatorChar));
                    Directory.CreateDirectory(dir);
                    var batch = single ? t.Reshape(1, t.Shape[0], t.Shape[1], t.Shape[2]) : t;
                    int per = batch.Numel / batch.Shape[0];
                    for (int i = 0; i < names.Length; i++)
                        Png.Write(Path.Combine(dir, names[i]), new Tensor(batch.Shape[1..], batch.Data.AsSpan(i * per, per).ToArray()));
                }
            }
            else
            {
                Directory.CreateDirectory(outPath);
                foreach (var (key, t) in results) Npy.Write(Path.Combine(outPath, key.Replace('/', '_') + ".npy"), t);
            }
            o.WriteLine($"wrote {results.Count} corrupted sets to {outPath}");
            return 0;
        });
        return cmd;
    }

    /// <summary>
    /// Images as N×C×H×W floats in [0, 1] (uint8 arrays are divided by 255); <c>Single</c> when the input was one image;
    /// <c>Names</c> the PNG file names when the input was PNG.
    /// </summary>
    internal static (Tensor Images, bool Single, string[]? Names) ReadImages(string path)
    {
        if (Directory.Exists(path))
        {
            var files = Directory.GetFiles(path, "*.png").OrderBy(f => f, StringComparer.Ordinal).ToArray();
            if (files.Length == 0) throw new AtlasArgumentException("--input", $"{path} holds no .png files");
            var first = Png.Read(files[0]).ToTensor();
            var all = new Tensor(new[] { files.Length }.Concat(first.Shape).ToArray());
            for (int i = 0; i < files.Length; i++)
            {
                var t = i == 0 ? first : Png.Read(files[i]).ToTensor();
                if (!t.SameShape(first))
                    throw new AtlasArgumentException("--input", $"{files[i]} is {ShapeMismatchException.Format(t.Shape)}, but {files[0]} is {ShapeMismatchException.Format(first.Shape)}; every image of a folder must have the same size and bands");
                Array.Copy(t.Data, 0, all.Data, i * first.Numel, first.Numel);
            }
            return (all, false, files.Select(f => Path.GetFileName(f)!).ToArray());
        }
        if (path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            var t = Png.Read(path).ToTensor();
            return (t.Reshape(1, t.Shape[0], t.Shape[1], t.Shape[2]), true, new[] { Path.GetFileName(path) });
        }
        NdArray a;
        if (path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
        {
            var all = Npz.Read(path);
            if (all.Count != 1) throw new AtlasArgumentException("--input", $"{path} holds {all.Count} arrays; give an .npz with exactly one image array (or an .npy)");
            a = all.Values.First();
        }
        else a = Npy.Read(path);
        var img = a.ToTensor();
        if (a.DType == NdType.UInt8)
            for (int i = 0; i < img.Numel; i++) img.Data[i] /= 255f;
        bool single = img.Rank == 3;
        if (single) img = img.Reshape(1, img.Shape[0], img.Shape[1], img.Shape[2]);
        if (img.Rank != 4) throw new AtlasArgumentException("--input", $"{path}: expected C×H×W or N×C×H×W images, got shape {ShapeMismatchException.Format(a.Shape)}");
        foreach (float v in img.Data)
            if (!(v >= 0 && v <= 1)) throw new AtlasArgumentException("--input", $"{path}: values must lie in [0, 1] (or be uint8), found {v}");
        return (img, single, null);
    }

    private static List<T>? ParseList<T>(string? text, string option, Func<string, IFormatProvider, T> parse)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        }
        catch (FormatException)
        {
            throw new AtlasArgumentException(option, $"'{text}' is not a comma-separated list of numbers");
        }
    }
}
