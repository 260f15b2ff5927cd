using System.Diagnostics;

namespace NeuralAtlas.Autograd;

/// <summary>
/// Optional per-operation timing for benchmarks (single-threaded callers): forward time is the time since the
/// previous recorded op, attributed to the op being recorded; backward time is measured around each rule.
/// </summary>
internal static class Profiler
{
    internal static bool Enabled { get; set; }
    private static readonly Dictionary<string, (double Ms, int Calls)> _table = new();
    private static long _last = Stopwatch.GetTimestamp();

    internal static void Mark() => _last = Stopwatch.GetTimestamp();

    internal static void Forward(string name)
    {
        long now = Stopwatch.GetTimestamp();
        Add("fwd " + name, Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds);
        _last = Stopwatch.GetTimestamp();
    }

    internal static void Add(string key, double ms)
    {
        lock (_table)
        {
            _table.TryGetValue(key, out var v);
            _table[key] = (v.Ms + ms, v.Calls + 1);
        }
    }

    internal static string Report() => string.Join("\n", _table.OrderByDescending(kv => kv.Value.Ms).Select(kv => $"{kv.Key,-40} {kv.Value.Ms,9:F1} ms {kv.Value.Calls,7} calls"));

    internal static void Reset() { lock (_table) _table.Clear(); Mark(); }
}
