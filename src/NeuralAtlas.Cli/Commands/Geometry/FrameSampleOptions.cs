using System.CommandLine;

namespace NeuralAtlas.Cli.Commands.Geometry;

/// <summary>
/// The options <c>frames</c> and <c>frames compare</c> share — which images (--count, --seed) and which directions
/// besides the augmentation generators (--noise, --adversarial) — declared and checked in one place.
/// </summary>
internal sealed class FrameSampleOptions
{
    public Option<int> Count { get; } = new("--count", "-n") { Description = "How many test images to average over (the first N).", DefaultValueFactory = _ => 8 };
    public Option<int> Noise { get; } = new("--noise") { Description = "Gaussian noise directions per image (the noise sub-frame).", DefaultValueFactory = _ => 8 };
    public Option<bool> Adversarial { get; } = new("--adversarial") { Description = "Add the input gradient of the loss at the true label as a direction (each model's own)." };
    public Option<int> Seed { get; }

    public FrameSampleOptions(string seedDescription) =>
        Seed = new Option<int>("--seed", "-s") { Description = seedDescription, DefaultValueFactory = _ => 0 };

    public void AddTo(Command cmd)
    {
        foreach (var o in new Option[] { Count, Noise, Adversarial, Seed }) cmd.Options.Add(o);
    }

    /// <summary>The values, checked: a positive image count and a non-negative number of noise directions.</summary>
    public (int Count, int Noise, bool Adversarial, int Seed) Read(ParseResult parse)
    {
        int n = parse.GetValue(Count), noise = parse.GetValue(Noise);
        if (n <= 0) throw new AtlasArgumentException("--count", $"must be positive, got {n}");
        if (noise < 0) throw new AtlasArgumentException("--noise", $"must be non-negative, got {noise}");
        return (n, noise, parse.GetValue(Adversarial), parse.GetValue(Seed));
    }
}
