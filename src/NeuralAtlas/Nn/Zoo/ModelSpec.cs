using NeuralAtlas.IO;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Nn.Zoo;

/// <summary>
/// Which zoo model and for which images: enough to rebuild the architecture. Saved in a checkpoint's
/// safetensors <c>__metadata__</c> (atlas.model, atlas.in_channels, atlas.image_size, atlas.num_classes).
/// </summary>
public sealed record ModelSpec(string Name, int InChannels, int ImageSize, int NumClasses)
{
    public Module Create(Rng rng) => ModelZoo.Create(Name, InChannels, ImageSize, NumClasses, rng);

    public Dictionary<string, string> ToMetadata() => new()
    {
        ["atlas.model"] = Name,
        ["atlas.in_channels"] = InChannels.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["atlas.image_size"] = ImageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["atlas.num_classes"] = NumClasses.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The spec stored in <paramref name="metadata"/>, or null when the file was not written by atlas.</summary>
    public static ModelSpec? FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue("atlas.model", out var name)) return null;
        int Get(string k) => metadata.TryGetValue(k, out var v) && int.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out int i) ? i
            : throw new AtlasArgumentException("checkpoint", $"metadata '{k}' is missing or not an integer");
        return new ModelSpec(name, Get("atlas.in_channels"), Get("atlas.image_size"), Get("atlas.num_classes"));
    }
}

/// <summary>Saving a model as a safetensors state dict (with its spec) and loading one back into the right architecture.</summary>
public static class ModelFile
{
    public static void Save(string path, Module model, ModelSpec spec) => Checkpoint.Save(path, model.StateDict(), spec.ToMetadata());

    /// <summary>
    /// Loads <paramref name="path"/>: the architecture comes from the file's metadata, else from
    /// <paramref name="fallback"/> (for state dicts exported from PyTorch); <paramref name="modelName"/>, when given,
    /// must agree with the file. Strict: names and shapes must match exactly.
    /// </summary>
    public static (Module Model, ModelSpec Spec) Load(string path, ModelSpec? fallback = null, string? modelName = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"weights file {path} does not exist (train one with 'atlas train --out {path}')", path);
        var content = Safetensors.Read(path);
        var spec = ModelSpec.FromMetadata(content.Metadata);
        if (spec is not null && modelName is not null && spec.Name != modelName)
            throw new AtlasArgumentException("--model", $"{path} holds a '{spec.Name}' model, not '{modelName}'");
        spec ??= fallback ?? throw new AtlasArgumentException("--model", $"{path} has no atlas metadata; name the architecture with --model");
        var model = spec.Create(new Rng(0));
        var state = new OrderedDictionary<string, Tensor>();
        foreach (var (k, a) in content.Tensors) state.Add(k, a.ToTensor());
        try { model.LoadStateDict(state); }
        catch (AtlasArgumentException e) { throw new AtlasArgumentException("--weights", $"{path}: {e.Message}"); }
        model.Eval();
        return (model, spec);
    }
}
