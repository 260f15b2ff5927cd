using System.Text.RegularExpressions;

namespace NeuralAtlas.Symmetry.ConvSpectra;

/// <summary>
/// Input sizes and strides of the convolutions of a CIFAR ResNet (He et al. 2016; the zoo's <c>resnet20</c> with
/// PyTorch state-dict names): stage s ∈ {1, 2, 3} runs at n / 2^(s−1), and the first block of stages 2 and 3
/// down-samples with stride 2 in <c>conv1</c> and in the 1×1 <c>shortcut.0</c>.
/// </summary>
public static partial class ResNetCifarGeometry
{
    [GeneratedRegex(@"^layer(\d+)\.(\d+)\.(conv1|conv2|shortcut\.0|downsample\.0)\.weight$")]
    private static partial Regex BlockConv();

    public static Dictionary<string, ConvGeometry> For(IEnumerable<string> names, int inputSize)
    {
        var r = new Dictionary<string, ConvGeometry>();
        foreach (string name in names)
        {
            if (name == "conv1.weight") { r[name] = new ConvGeometry(inputSize, 1); continue; }
            var m = BlockConv().Match(name);
            if (!m.Success) continue;
            int stage = int.Parse(m.Groups[1].Value), block = int.Parse(m.Groups[2].Value);
            string part = m.Groups[3].Value;
            int size = inputSize >> (stage - 1);
            bool down = stage > 1 && block == 0 && part != "conv2";
            r[name] = down ? new ConvGeometry(size * 2, 2) : new ConvGeometry(size, 1);
        }
        return r;
    }
}
