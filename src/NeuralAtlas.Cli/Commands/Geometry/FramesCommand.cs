using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using NeuralAtlas.Autograd;
using NeuralAtlas.Cli.Commands.Engine;
using NeuralAtlas.Data;
using NeuralAtlas.Geometry;
using NeuralAtlas.IO;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Cli.Commands.Geometry;

/// <summary><c>atlas frames</c>: neural frames of a model on N images, per layer, aggregated over the images.</summary>
public sealed class FramesCommand : ICliCommand
{
    public Command Create()
    {
        var source = new ModelSourceOptions(weightsRequired: false, withData: true,
            onnxDescription: "Analyse an ONNX model (e.g. from torch.onnx.export) instead of --model/--weights; --layers then names its nodes (see 'atlas onnx inspect').");
        var layers = new Option<string>("--layers", "-l") { Description = "'all' (every named submodule; with --onnx every per-example node) or comma-separated module names (node names with --onnx).", DefaultValueFactory = _ => "all" };
        var sample = new FrameSampleOptions("Seed of the data set, the noise directions and an uninitialised model.");
        var user = new Option<string?>("--directions") { Description = "An .npy of extra directions [K, C, H, W] (or [K, C·H·W]), used at every image." };
        var check = new Option<double>("--check") { Description = "Compare every Jvp with central finite differences of this step (0 = off); the largest relative gap per layer goes in the JSON. Float32 differences are only sound at the first affine layer (rounding and ReLU/max-pool kinks); use --check-reverse for every layer.", DefaultValueFactory = _ => 0.0 };
        var checkReverse = new Option<int>("--check-reverse") { Description = "Compare the Jvps at every layer with this many Jacobian rows per layer from reverse mode (all rows of narrower layers; 0 = off); the largest relative gap per layer goes in the JSON as reverse_mode_error (float rounding, ~1e-6, when correct).", DefaultValueFactory = _ => 0 };
        var outPath = new Option<string>("--out", "-o") { Description = "Output JSON (per layer: mean relative norm per direction, effective rank, singular values, principal angles).", DefaultValueFactory = _ => "frames.json" };
        var threads = EngineOptions.Threads();
        var cmd = new Command("frames",
            "Neural frames: push augmentation generators (rotation, translations, scaling, shear, brightness, contrast), Gaussian noise, " +
            "optional adversarial and user directions through every layer with Jvp; per layer, the norms relative to the input, Gram " +
            "singular values, effective rank and principal angles between the augmentation and noise sub-frames, averaged over images.");
        source.AddTo(cmd);
        cmd.Options.Add(layers);
        sample.AddTo(cmd);
        foreach (var o in new Option[] { user, check, checkReverse, outPath, threads }) cmd.Options.Add(o);
        cmd.Subcommands.Add(FramesCompareCommand.Create());
        cmd.SetAction(parse =>
        {
            EngineOptions.SetThreads(parse.GetValue(threads));
            var (n, nNoise, adv, s) = sample.Read(parse);
            int reverseRows = parse.GetValue(checkReverse);
            if (reverseRows < 0) throw new AtlasArgumentException("--check-reverse", $"must be 0 (off) or a number of rows, got {reverseRows}");
            var set = source.LoadData(parse, s).Test;
            var net = source.Load(parse, set, s).Module;
            string ls = parse.GetValue(layers)!;
            var names = ls == "all" ? LayerTaps.Names(net, new Var(set.Images(1))).ToList() : ls.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            Tensor? extra = parse.GetValue(user) is { } up ? Npy.Read(up).ToTensor() : null;
            var rng = new Rng((ulong)s + 1);
            n = Math.Min(n, set.Count);
            var results = new List<FrameResult>();
            for (int i = 0; i < n; i++)
            {
                var x = set.Images(new[] { i }).Reshape(set.Channels, set.Height, set.Width);
                var dirs = FrameDirections.Augmentations(x).Concat(FrameDirections.Noise(x, nNoise, rng)).ToList();
                if (adv) dirs.Add(FrameDirections.Adversarial(net, x, set.Labels[i]));
                if (extra is not null)
                {
                    int per = set.Channels * set.Height * set.Width;
                    if (extra.Numel % per != 0) throw new ShapeMismatchException("--directions", $"{extra.Numel} values are not a whole number of {per}-value images");
                    for (int k = 0; k < extra.Numel / per; k++)
                        dirs.Add(FrameDirections.User($"user-{k}", x, new Tensor(new[] { per }, extra.Data.AsSpan(k * per, per).ToArray())));
                }
                results.Add(NeuralFrames.Compute(net, x, dirs, names, parse.GetValue(check), reverseRows, (ulong)s + 2 + (ulong)i));
            }
            var json = Serialize(results, names, n);
            AtomicFile.WriteAllBytes(parse.GetValue(outPath)!, json);
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine("layer\taugmentation_norm\tnoise_norm\teffective_rank\tmean_angle_deg" + (parse.GetValue(check) > 0 ? "\tfd_error" : "") + (reverseRows > 0 ? "\treverse_error" : ""));
            for (int l = 0; l < names.Count; l++)
            {
                var (aug, noi, er, ang, fd, rev) = Summary(results, l);
                o.WriteLine($"{names[l]}\t{F(aug)}\t{F(noi)}\t{F(er)}\t{F(ang * 180 / Math.PI)}" + (parse.GetValue(check) > 0 ? $"\t{F(fd)}" : "") + (reverseRows > 0 ? $"\t{F(rev)}" : ""));
            }
            return 0;
        });
        return cmd;
    }

    private static (double Aug, double Noise, double EffRank, double Angle, double Fd, double Reverse) Summary(List<FrameResult> rs, int l)
    {
        double aug = 0, noi = 0, er = 0, ang = 0, fd = 0, rev = 0;
        int na = 0, nn = 0, nang = 0;
        foreach (var r in rs)
        {
            var lf = r.Layers[l];
            for (int k = 0; k < r.Directions.Count; k++)
            {
                if (r.Directions[k].Group == "augmentation") { aug += lf.RelativeNorms[k]; na++; }
                if (r.Directions[k].Group == "noise") { noi += lf.RelativeNorms[k]; nn++; }
            }
            er += lf.EffectiveRank;
            if (lf.PrincipalAngles.Length > 0) { ang += lf.PrincipalAngles.Average(); nang++; }
            if (r.FiniteDifferenceError is { } e) fd = Math.Max(fd, e[l]);
            if (r.ReverseModeError is { } re) rev = Math.Max(rev, re[l]);
        }
        return (na > 0 ? aug / na : double.NaN, nn > 0 ? noi / nn : double.NaN, er / rs.Count, nang > 0 ? ang / nang : double.NaN, fd, rev);
    }

    private static byte[] Serialize(List<FrameResult> rs, IReadOnlyList<string> names, int n)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("images", n);
            w.WriteStartArray("directions");
            foreach (var d in rs[0].Directions) { w.WriteStartObject(); w.WriteString("name", d.Name); w.WriteString("group", d.Group); w.WriteEndObject(); }
            w.WriteEndArray();
            w.WriteStartArray("layers");
            for (int l = 0; l < names.Count; l++)
            {
                var (aug, noi, er, ang, fd, rev) = Summary(rs, l);
                w.WriteStartObject();
                w.WriteString("layer", names[l]);
                Num(w, "augmentation_norm", aug);
                Num(w, "noise_norm", noi);
                Num(w, "effective_rank", er);
                Num(w, "mean_principal_angle", ang);
                if (rs[0].FiniteDifferenceError is not null) Num(w, "finite_difference_error", fd);
                if (rs[0].ReverseModeError is not null) Num(w, "reverse_mode_error", rev);
                w.WriteStartArray("relative_norms");
                for (int k = 0; k < rs[0].Directions.Count; k++) w.WriteNumberValue(rs.Average(r => r.Layers[l].RelativeNorms[k]));
                w.WriteEndArray();
                w.WriteStartArray("singular_values");
                for (int k = 0; k < rs[0].Layers[l].SingularValues.Length; k++) w.WriteNumberValue(rs.Average(r => r.Layers[l].SingularValues[k]));
                w.WriteEndArray();
                w.WriteStartArray("principal_angles");
                int na = rs.Min(r => r.Layers[l].PrincipalAngles.Length);
                for (int k = 0; k < na; k++) w.WriteNumberValue(rs.Average(r => r.Layers[l].PrincipalAngles[k]));
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    private static void Num(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    private static string F(double v) => double.IsFinite(v) ? v.ToString("G6", CultureInfo.InvariantCulture) : "-";
}
