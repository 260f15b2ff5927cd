using NeuralAtlas.Tensors;

namespace NeuralAtlas.IO;

/// <summary>
/// A model checkpoint is a safetensors file of its state dict: parameter and buffer names exactly as PyTorch's
/// state_dict() names them, so a state dict saved from PyTorch (same architecture) loads with no renaming and
/// ours loads into PyTorch with safetensors.torch.load_file.
/// </summary>
public static class Checkpoint
{
    /// <summary>Writes the state dict; BatchNorm's <c>num_batches_tracked</c> counters are written as int64 scalars, the
    /// dtype PyTorch's state_dict has, so a file we write and one PyTorch writes hold the same dtypes.</summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> stateDict, IReadOnlyDictionary<string, string>? metadata = null) =>
        Safetensors.Write(path, stateDict.Select(kv => new KeyValuePair<string, NdArray>(kv.Key, IsCounter(kv.Key)
            ? NdArray.FromInt64s(kv.Value.Data.Select(v => (long)Math.Round(v)).ToArray(), kv.Value.Shape)
            : NdArray.FromTensor(kv.Value))), metadata);

    private static bool IsCounter(string name) => name == "num_batches_tracked" || name.EndsWith(".num_batches_tracked", StringComparison.Ordinal);

    /// <summary>Every tensor as float32, in file order (integer buffers such as num_batches_tracked become floats).</summary>
    public static OrderedDictionary<string, Tensor> Load(string path)
    {
        var content = Safetensors.Read(path);
        var r = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (k, a) in content.Tensors) r.Add(k, a.ToTensor());
        return r;
    }

    /// <summary>
    /// Compares what a model expects (name → shape) with what a file holds; empty when they match. Each line names a
    /// missing tensor, an unexpected one, or a shape mismatch, like PyTorch's load_state_dict(strict=True).
    /// </summary>
    public static IReadOnlyList<string> Mismatches(IEnumerable<KeyValuePair<string, int[]>> expected, IReadOnlyDictionary<string, int[]> found)
    {
        var issues = new List<string>();
        var want = expected.ToList();
        var names = new HashSet<string>(want.Select(kv => kv.Key), StringComparer.Ordinal);
        foreach (var (k, shape) in want)
        {
            if (!found.TryGetValue(k, out var got)) issues.Add($"missing: {k} {ShapeMismatchException.Format(shape)}");
            else if (!got.AsSpan().SequenceEqual(shape))
                issues.Add($"shape: {k} expected {ShapeMismatchException.Format(shape)}, file has {ShapeMismatchException.Format(got)}");
        }
        foreach (var k in found.Keys.Where(k => !names.Contains(k)).OrderBy(k => k, StringComparer.Ordinal))
            issues.Add($"unexpected: {k} {ShapeMismatchException.Format(found[k])}");
        return issues;
    }
}
