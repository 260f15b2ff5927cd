using NeuralAtlas.IO;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Cli.Commands.Symmetry;

/// <summary>Reads a state dict of raw tensors from .safetensors or .npz, by extension.</summary>
internal static class WeightFiles
{
    public static List<KeyValuePair<string, Tensor>> Read(string path, string option)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{option}: {path} does not exist", path);
        string ext = Path.GetExtension(path).ToLowerInvariant();
        IEnumerable<KeyValuePair<string, NdArray>> arrays = ext switch
        {
            ".safetensors" => Safetensors.Read(path).Tensors,
            ".npz" => Npz.Read(path),
            _ => throw new AtlasArgumentException(option, $"{path}: expected a .safetensors or .npz file of named tensors"),
        };
        return arrays.Select(kv => new KeyValuePair<string, Tensor>(kv.Key, kv.Value.ToTensor())).ToList();
    }
}
