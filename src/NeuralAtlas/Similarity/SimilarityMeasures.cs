using System.Globalization;

namespace NeuralAtlas.Similarity;

/// <summary>
/// Every measure by name. A specification is a name with optional parameters, "name:key=value:key=value", e.g.
/// "rbf-cka:threshold=0.5", "svcca:keep=0.95", "shape-metric:alpha=0.5:score=euclidean",
/// "rsa:rdm=euclidean:compare=pearson", "minibatch-cka:batch=512".
/// </summary>
public static class SimilarityMeasures
{
    private sealed record Entry(string Name, string Parameters, Func<IReadOnlyDictionary<string, string>, SimilarityMeasure> Create);

    private static readonly Entry[] Entries =
    {
        new("linear-cka", "", _ => new LinearCka()),
        new("rbf-cka", "threshold=1.0 (bandwidth as a fraction of the median pairwise distance)", p => new RbfCka(Number(p, "threshold", 1.0))),
        new("debiased-cka", "", _ => new DebiasedCka()),
        new("minibatch-cka", "batch=256 (rows per batch)", p => new MinibatchCka((int)Number(p, "batch", 256))),
        new("cca", "", _ => new MeanCca()),
        new("svcca", "keep=0.99 (fraction of variance kept per side)", p => new Svcca(Number(p, "keep", 0.99))),
        new("pwcca", "", _ => new Pwcca()),
        new("procrustes", "", _ => new ProcrustesDistance()),
        new("shape-metric", "alpha=1.0 (1 rotations only … 0 any invertible map), score=angular|euclidean",
            p => new ShapeMetric(Number(p, "alpha", 1.0), Choice(p, "score", ShapeScore.Angular))),
        new("rsa", "rdm=correlation|euclidean, compare=spearman|pearson",
            p => new Rsa(Choice(p, "rdm", RdmKind.Correlation), Choice(p, "compare", RdmComparison.Spearman))),
        new("grelu-procrustes", "", _ => new GReluProcrustes()),
        new("grelu-cka", "", _ => new GReluCka()),
        new("ortho-procrustes", "", _ => new OrthogonalProcrustes()),
        new("ortho-cka", "", _ => new OrthogonalCka()),
    };

    /// <summary>Registered names, in a stable order.</summary>
    public static IReadOnlyList<string> Names { get; } = Entries.Select(e => e.Name).ToArray();

    /// <summary>The parameters a measure accepts with their defaults ("" when none).</summary>
    public static string ParametersOf(string name) => Find(name).Parameters;

    /// <summary>Every measure with default parameters.</summary>
    public static IReadOnlyList<SimilarityMeasure> All() => Entries.Select(e => e.Create(new Dictionary<string, string>())).ToArray();

    /// <summary>The measure a specification names, e.g. "svcca:keep=0.95".</summary>
    public static SimilarityMeasure Create(string specification)
    {
        if (string.IsNullOrWhiteSpace(specification)) throw new AtlasArgumentException("measure", "empty measure name; known: " + string.Join(", ", Names));
        var parts = specification.Trim().Split(':');
        var entry = Find(parts[0]);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string part in parts.Skip(1))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) throw new AtlasArgumentException("measure", $"'{part}' in '{specification}' is not key=value");
            parameters[part[..eq].Trim()] = part[(eq + 1)..].Trim();
        }
        var measure = entry.Create(parameters);
        var used = UsedKeys(entry);
        foreach (string key in parameters.Keys)
            if (!used.Contains(key))
                throw new AtlasArgumentException("measure", $"{entry.Name} has no parameter '{key}'" + (used.Count == 0 ? " (it takes none)" : $"; it takes: {entry.Parameters}"));
        return measure;
    }

    private static HashSet<string> UsedKeys(Entry e) =>
        e.Parameters.Split(new[] { ' ', ',' }, StringSplitOptions.RemoveEmptyEntries)
            .Where(t => t.Contains('=')).Select(t => t[..t.IndexOf('=')]).ToHashSet(StringComparer.Ordinal);

    private static Entry Find(string name) =>
        Entries.FirstOrDefault(e => e.Name == name.Trim())
        ?? throw new AtlasArgumentException("measure", $"unknown measure '{name}'; known: {string.Join(", ", Names)}");

    private static double Number(IReadOnlyDictionary<string, string> p, string key, double fallback)
    {
        if (!p.TryGetValue(key, out var s)) return fallback;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw new AtlasArgumentException("measure", $"parameter {key}={s} is not a number");
        return v;
    }

    private static T Choice<T>(IReadOnlyDictionary<string, string> p, string key, T fallback) where T : struct, Enum
    {
        if (!p.TryGetValue(key, out var s)) return fallback;
        if (!Enum.TryParse<T>(s, ignoreCase: true, out var v) || !Enum.IsDefined(v) || int.TryParse(s, out _))
            throw new AtlasArgumentException("measure", $"parameter {key}={s}: expected one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");
        return v;
    }
}
