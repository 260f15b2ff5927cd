namespace NeuralAtlas.Robustness;

/// <summary>
/// Seeds derived from a base seed, a name and indices with a fixed hash (FNV-1a, then SplitMix64 mixing), so the
/// same inputs give the same stream in every process and on every machine (string.GetHashCode and
/// HashCode.Combine are randomised per process and must not be used for this).
/// </summary>
public static class StableSeed
{
    public static ulong Of(long seed, string name, params long[] indices)
    {
        ulong h = 14695981039346656037UL;
        foreach (char ch in name) { h ^= ch; h *= 1099511628211UL; }
        h = Mix(h ^ (ulong)seed);
        foreach (long i in indices) h = Mix(h ^ (ulong)i);
        return h;
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
