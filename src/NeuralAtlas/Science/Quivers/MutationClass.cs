namespace NeuralAtlas.Science.Quivers;

/// <summary>
/// The mutation class of a quiver up to isomorphism, by breadth-first search: start from the quiver, mutate every
/// member at every vertex, and keep each new canonical form once. Finite exactly for quivers of finite mutation
/// type; for the others the search stops with an error once an arrow of multiplicity above
/// <see cref="MaxMultiplicity"/> appears (Felikson–Shapiro–Tumarkin: in a connected mutation-finite quiver with at
/// least 3 vertices every arrow has multiplicity ≤ 2) or the class exceeds the size limit.
/// </summary>
public static class MutationClass
{
    public const int MaxMultiplicity = 2;

    /// <summary>Canonical representatives of the class, in breadth-first order (the start's canonical form first).</summary>
    public static List<Quiver> Enumerate(Quiver start, int maxSize = 5_000_000)
    {
        var keys = EnumerateKeys(start, maxSize);
        return keys.Select(CanonicalForm.FromKey).ToList();
    }

    /// <summary>Canonical keys of the class (see <see cref="CanonicalForm.Key"/>), in breadth-first order.</summary>
    public static List<string> EnumerateKeys(Quiver start, int maxSize = 5_000_000)
    {
        bool checkMultiplicity = start.N >= 3 && start.IsConnected();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<string>();
        string k0 = CanonicalForm.Key(start);
        seen.Add(k0);
        order.Add(k0);
        for (int head = 0; head < order.Count; head++)
        {
            var q = CanonicalForm.FromKey(order[head]);
            for (int k = 0; k < q.N; k++)
            {
                var m = q.Mutate(k);
                if (checkMultiplicity && m.MaxMultiplicity() > MaxMultiplicity)
                    throw new AtlasArgumentException("quiver", $"mutation produced an arrow of multiplicity {m.MaxMultiplicity()}: the quiver is not of finite mutation type, so its class is infinite");
                string key = CanonicalForm.Key(m);
                if (seen.Add(key))
                {
                    order.Add(key);
                    if (order.Count > maxSize)
                        throw new AtlasArgumentException("quiver", $"the mutation class has more than {maxSize} quivers up to isomorphism; stopping");
                }
            }
        }
        return order;
    }
}
