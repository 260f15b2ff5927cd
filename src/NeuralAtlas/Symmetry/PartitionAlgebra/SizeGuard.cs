namespace NeuralAtlas.Symmetry.PartitionAlgebra;

/// <summary>
/// Refuses tensors that cannot be held: more entries than a .NET array holds, or more bytes than half the memory
/// the runtime reports as available. The message gives the size so the caller can see by how much.
/// </summary>
public static class SizeGuard
{
    public const long MaxArrayLength = 0x7FFFFFC7;

    /// <summary>n^power, or long.MaxValue when it overflows.</summary>
    public static long Power(int n, int power)
    {
        long r = 1;
        for (int i = 0; i < power; i++)
        {
            if (n != 0 && r > long.MaxValue / n) return long.MaxValue;
            r *= n;
        }
        return r;
    }

    public static void Require(string argument, string what, int n, int power, int bytesPerEntry = sizeof(double))
    {
        long entries = Power(n, power);
        string size = entries == long.MaxValue
            ? $"{n}^{power} (more than 9.2e18) entries"
            : $"{n}^{power} = {entries:N0} entries ({FormatBytes((double)entries * bytesPerEntry)} as {(bytesPerEntry == 8 ? "float64" : $"{bytesPerEntry}-byte values")})";
        if (entries > MaxArrayLength)
            throw new AtlasArgumentException(argument, $"{what} would have {size}; at most {MaxArrayLength:N0} entries fit one array");
        long budget = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;
        if (budget > 0 && (double)entries * bytesPerEntry > budget)
            throw new AtlasArgumentException(argument, $"{what} would have {size}, more than half of the {FormatBytes(budget * 2.0)} of memory available");
    }

    public static string FormatBytes(double b) =>
        b >= 1L << 40 ? $"{b / (1L << 40):0.#} TiB" : b >= 1 << 30 ? $"{b / (1 << 30):0.#} GiB" : b >= 1 << 20 ? $"{b / (1 << 20):0.#} MiB" : $"{b / 1024:0.#} KiB";
}
